import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { createBundleService, type BundleService } from '../../src/core/bundles/bundle-service'
import { verifyOfflineTuf } from '../../src/core/bundles/offline-tuf'
import { keyIdOf, signCanonical, tufKeyOf } from '../../src/core/firmware/ed25519'
import { createOsKeychain } from '../../src/core/secrets/os-keychain'
import { openDatabase } from '../../src/core/store/database'
import { decodeHeader, decodePrefix, encodeHeader, encodePrefix, PREFIX_LEN } from '../../src/shared/bundle/container'
import type { BundleManifest } from '../../src/shared/bundle/manifest'
import { SignedRoot } from '../../src/shared/tuf/metadata'
import { hardwareFor } from '../../src/vehicle/fleet-spec'
import { startFleet } from '../../src/vehicle/fleet'
import { ipcClient, type ContractClient } from '../support/clients'
import { apiClient } from '../support/https-client'
import { keychainAccounts, signIn, value } from '../support/profiles'
import { tempDir } from '../support/temp-dir'
import { fetchFile, saveAs, sendFile, until } from './support'

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

/** A bundle file's parts, to alter one and put it back together. */
function split(file: Buffer) {
  const headerLength = decodePrefix(file.subarray(0, PREFIX_LEN), file.length)
  const header = decodeHeader(file.subarray(PREFIX_LEN, PREFIX_LEN + headerLength)) as { signed: BundleManifest; signatures: { keyid: string; sig: string }[] }
  const join = (h: unknown) => {
    const bytes = Buffer.from(encodeHeader(h))
    return Buffer.concat([encodePrefix(bytes.length), bytes, file.subarray(PREFIX_LEN + headerLength)])
  }
  return { header, join }
}

// Offline jobs end to end against a real backend and fleet: a workshop console registers while
// online, an operator exports part of a job for it, the workshop verifies and imports the file
// with no backend, gets each image checked against TUF, records results and signs them, and the
// online console applies them to the job once.
describe('offline jobs: a bundle to the workshop and its results back', () => {
  const data = tempDir('ota-bundles')
  const firmware = randomBytes(120_000)
  let backend: RunningBackend
  let fleet: Awaited<ReturnType<typeof startFleet>>
  let office: ContractClient
  let workshop: ContractClient
  let service: BundleService
  let operatorToken: string
  let releaseId: string
  let jobId: string
  let vins: string[]
  let bundleId: string
  let bundleFile: string
  const http = () => apiClient(backend.url, backend.caCertPem)
  const adminToken = () => backend.firstAdminToken!

  beforeAll(async () => {
    backend = await startBackend({ dataDir: join(data.dir, 'backend'), engineTickMs: 100, log: () => {} })
    fleet = await startFleet({
      backendUrl: backend.url,
      mqttUrl: backend.mqttUrl,
      ca: backend.caCertPem,
      token: adminToken(),
      count: 5,
      models: ['model_a'],
      ecus: 1,
      failureRate: 0,
      offlineRate: 0,
      seed: 31,
      pq: false,
      pollMs: 0,
      log: () => {}
    })
    vins = fleet.vehicles.map((v) => v.spec.vin).sort()
    const { sha256: artifact } = (await http().post('/api/v1/artifacts', { token: adminToken(), body: firmware })).json
    releaseId = (
      await http().post('/api/v1/releases', {
        token: adminToken(),
        json: { model: 'model_a', ecu: 'ECU_001', version: '1.1.0', hardware: [hardwareFor('model_a', 1)], artifactSha256: artifact }
      })
    ).json.id
    await http().post(`/api/v1/releases/${releaseId}/publish`, { token: adminToken() })
    operatorToken = (await http().post('/api/v1/tokens', { token: adminToken(), json: { name: 'office-operator', role: 'operator' } })).json.token
    office = await ipcClient()
    workshop = await ipcClient()
    await signIn(office, backend, operatorToken, 'office')
    // Every vehicle has reported its ECUs, so the job selects all five.
    const dryRun = { name: 'x', releaseId, selection: {}, rollout: { waves: [{ size: { percent: 100 } }] } }
    await until(async () => (await http().post('/api/v1/jobs/dry-run', { token: adminToken(), json: dryRun })).json.selected === 5, 'every vehicle reported its ECUs')
  }, 60_000)
  afterAll(async () => {
    await fleet?.stop()
    await office?.close()
    await workshop?.close()
    await backend?.close()
    data.remove()
  })

  it('registers the workshop console while online (admin only); its keys stay in the keychain', async () => {
    const profileId = await signIn(workshop, backend, adminToken(), 'bay-3')
    const status = value(await workshop.api.bundles.registerWorkshop({ name: 'Bay 3' }))
    expect(status).toMatchObject({ workshop: { name: 'Bay 3' }, backend: { origin: new URL(backend.url).origin, rootVersion: 1 } })
    expect((await keychainAccounts(profileId)).map((c) => c.account)).toContain(`profile/${profileId}/workshop-keys`)
    // Registering again is the same workshop, and renews its certificate: the one before is retired.
    expect(value(await workshop.api.bundles.registerWorkshop({ name: 'Bay 3' })).workshop).toEqual(status.workshop)
    const bay3 = value(await workshop.api.bundles.workshops()).workshops.find((w) => w.name === 'Bay 3')!
    expect(bay3.certificate).toMatchObject({ holderKind: 'workshop', holder: bay3.id, revocation: null, replaces: expect.stringMatching(/^[0-9a-f]{32}$/) })
    const certificates = (await http().get(`/api/v1/certificates?holderKind=workshop&state=superseded&q=${bay3.id}`, { token: adminToken() })).json.certificates
    expect(certificates.map((c: { serial: string }) => c.serial)).toEqual([bay3.certificate!.replaces])
    expect(await office.api.bundles.registerWorkshop({ name: 'Office' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Role operator may not workshop.register; it needs admin' }
    })
  })

  it('exports two queued vehicles for the workshop; the engine updates the others online and leaves these two alone', async () => {
    const job = value(
      await office.api.jobs.create({
        name: 'Workshop recall ECU_001',
        releaseId,
        selection: {},
        rollout: { waves: [{ size: { percent: 100 } }], maxInFlight: 5 },
        schedule: { startAt: new Date(Date.now() + 6_000).toISOString(), maintenanceWindows: [] }
      })
    )
    jobId = job.id
    const { workshops } = value(await office.api.bundles.workshops())
    const bay3 = workshops.find((w) => w.name === 'Bay 3')!
    const file = value(await office.api.bundles.export({ jobId, workshopId: bay3.id, vins: vins.slice(0, 2), expiresInHours: 24 }))
    bundleId = file.bundleId
    expect(file).toMatchObject({ name: `${bundleId}.otab` })
    const bytes = await fetchFile(office.api, file.fileId)
    expect(bytes.length).toBe(file.size)
    bundleFile = saveAs(join(data.dir, 'usb-stick.otab'), bytes)
    // The manifest's signature is a use of the bundle key, recorded with the operator who exported it.
    const signedBundle = await backend.services.db.all<{ actor: string; role: string }>("SELECT actor, role FROM audit WHERE action = 'key.sign' AND object = 'offline-bundle-key'")
    expect(signedBundle).toEqual([{ actor: 'office-operator', role: 'operator' }])

    // The same vehicles cannot go into a second bundle while this one lives.
    const again = await office.api.bundles.export({ jobId, workshopId: bay3.id, vins: [vins[0]!] })
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: `these vehicles cannot go into a bundle: ${vins[0]} is already in bundle ${bundleId}, which has not expired` }
    })

    await expect.poll(async () => value(await office.api.jobs.get({ id: jobId })).counts.succeeded ?? 0, { timeout: 40_000, interval: 250 }).toBe(3)
    const exported = value(await office.api.jobs.executions({ id: jobId, state: 'queued', limit: 10 })).executions
    expect(exported.map((e) => [e.vin, e.notifiedAt])).toEqual([
      [vins[0], null],
      [vins[1], null]
    ])
    expect(value(await office.api.jobs.get({ id: jobId })).state).toBe('running')
    expect(
      fleet.vehicles
        .filter((v) => v.versions().ECU_001 === '1.1.0')
        .map((v) => v.spec.vin)
        .sort()
    ).toEqual(vins.slice(2))
  }, 60_000)

  it('verifies and imports the bundle with no backend, and hands out each image as TUF signs it', async () => {
    value(await workshop.api.profiles.setActive({ id: null }))
    const fileId = await sendFile(workshop.api, readFileSync(bundleFile), 'usb-stick.otab')
    const verdict = value(await workshop.api.bundles.verify({ fileId }))
    expect(verdict).toMatchObject({
      ok: true,
      failed: null,
      bundle: { id: bundleId, job: { id: jobId, name: 'Workshop recall ECU_001' }, vehicles: 2, workshop: { name: 'Bay 3' } }
    })
    expect(verdict.checks.map((c) => [c.check, c.ok])).toEqual(
      ['container', 'format', 'kind', 'signer', 'signature', 'blobs', 'expiry', 'recipient', 'tuf', 'releases', 'payloads'].map((c) => [c, true])
    )
    expect(verdict.message).toMatch(
      new RegExp(`^Verified: bundle ${bundleId} of job "Workshop recall ECU_001", 2 vehicle\\(s\\), from https://127\\.0\\.0\\.1:\\d+ for workshop Bay 3, valid until `)
    )
    const imported = value(await workshop.api.bundles.import({ fileId }))
    expect(imported).toMatchObject({ id: bundleId, expired: false, results: { succeeded: 0, failed: 0 }, releases: [{ id: releaseId, ecu: 'ECU_001', version: '1.1.0' }] })
    expect(value(await workshop.api.bundles.import({ fileId })).importedAt).toBe(imported.importedAt)
    expect(value(await workshop.api.bundles.list()).bundles.map((b) => b.id)).toEqual([bundleId])

    // What the flash needs per vehicle: the gateway and ECU addresses, the image checked against TUF.
    const detail = value(await workshop.api.bundles.get({ bundleId }))
    expect(detail.vehicles.map((v) => v.vin)).toEqual(vins.slice(0, 2))
    expect(detail.vehicles[0]).toMatchObject({ gateway: { logicalAddress: 0x0e00 }, ecus: [{ id: 'ECU_001', logicalAddress: 0x1001, software: '1.0.0' }] })
    service = createBundleService({ db: openDatabase(workshop.dataDir).db, secrets: createOsKeychain(), dataDir: workshop.dataDir })
    const opened = await service.openImage(bundleId, vins[0]!, 'ECU_001')
    expect(opened.image.equals(firmware)).toBe(true)
    const tuf = async (name: string) => (await http().get(`/tuf/${name}`)).json
    const snapshot = await tuf(`${(await tuf('timestamp.json')).signed.meta['snapshot.json'].version}.snapshot.json`)
    const targets = await tuf(`${snapshot.signed.meta['targets.json'].version}.targets.json`)
    expect(sha256(opened.image)).toBe(targets.signed.targets['model_a/ECU_001/1.1.0.bin'].custom.plaintextSha256)
    await expect(service.openImage(bundleId, vins[4]!, 'ECU_001')).rejects.toThrow(`Vehicle ${vins[4]} is not in bundle ${bundleId}.`)
    await expect(service.openImage(bundleId, vins[0]!, 'ECU_002')).rejects.toThrow(`Bundle ${bundleId} has no firmware for ECU_002 of model_a.`)
    const later = createBundleService({
      db: openDatabase(workshop.dataDir).db,
      secrets: createOsKeychain(),
      dataDir: workshop.dataDir,
      now: () => Date.parse(imported.expiresAt) + 1
    })
    await expect(later.openImage(bundleId, vins[0]!, 'ECU_001')).rejects.toThrow(
      `Bundle ${bundleId} can no longer be used: The bundle expired at ${imported.expiresAt}; ask for a new one.`
    )
  }, 30_000)

  it('refuses a tampered, truncated, foreign, expired or misaddressed bundle, naming the check that failed', async () => {
    const original = readFileSync(bundleFile)
    const variant = (name: string, bytes: Buffer) => saveAs(join(data.dir, name), bytes)
    const judged = async (path: string, svc = service) => {
      const v = await svc.verify(path)
      return { failed: v.failed, message: v.message }
    }

    const manifest = split(original)
    const renamed = manifest.join({ ...manifest.header, signed: { ...manifest.header.signed, job: { ...manifest.header.signed.job, name: 'Something else' } } })
    expect(await judged(variant('tampered-manifest.otab', renamed))).toEqual({
      failed: 'signature',
      message: "The bundle's signature does not verify: its manifest was altered after the backend signed it."
    })

    const flipped = Buffer.from(original)
    flipped[flipped.length - 100]! ^= 0x01
    expect(await judged(variant('tampered-blob.otab', flipped))).toEqual({
      failed: 'blobs',
      message: `Blob payload/${releaseId} differs from the signed manifest (its sha256 does not match): the file was altered after the backend signed it.`
    })

    expect(await judged(variant('truncated.otab', original.subarray(0, original.length - 10)))).toEqual({
      failed: 'container',
      message: `The file is truncated: it has ${original.length - 10} bytes, but the blobs its header lists end at byte ${original.length}.`
    })

    const v2 = Buffer.from(original)
    v2[5] = 2
    expect((await judged(variant('v2.otab', v2))).failed).toBe('format')

    const other = generateKeyPairSync('ed25519').privateKey
    const otherKeyId = keyIdOf(tufKeyOf(other))
    const foreign = manifest.join({ signed: manifest.header.signed, signatures: [{ keyid: otherKeyId, sig: signCanonical(other, manifest.header.signed) }] })
    expect(await judged(variant('foreign.otab', foreign))).toEqual({
      failed: 'signer',
      message: `The bundle is foreign: it is signed by key ${otherKeyId.slice(0, 12)}…, which this console has not pinned (it claims to come from ${new URL(backend.url).origin}). Bundles are accepted only from a backend this console registered with as a workshop while online.`
    })

    const expiresAt = manifest.header.signed.expiresAt
    const later = createBundleService({ db: openDatabase(workshop.dataDir).db, secrets: createOsKeychain(), dataDir: workshop.dataDir, now: () => Date.parse(expiresAt) + 1 })
    expect(await judged(bundleFile, later)).toEqual({ failed: 'expiry', message: `The bundle expired at ${expiresAt}; ask for a new one.` })

    // Another workshop console of the same backend may not open it.
    const bay4 = await ipcClient()
    try {
      await signIn(bay4, backend, adminToken(), 'bay-4')
      const bay4Id = value(await bay4.api.bundles.registerWorkshop({ name: 'Bay 4' })).workshop!.id
      const misaddressed = value(await bay4.api.bundles.verify({ fileId: await sendFile(bay4.api, original, 'b.otab') }))
      expect(misaddressed).toMatchObject({
        ok: false,
        failed: 'recipient',
        message: `The bundle was made for workshop Bay 3 (${manifest.header.signed.workshop.id}); this console is workshop Bay 4 (${bay4Id}).`
      })
      expect(misaddressed.checks.filter((c) => c.ok).map((c) => c.check)).toEqual(['container', 'format', 'kind', 'signer', 'signature', 'blobs', 'expiry'])
    } finally {
      await bay4.close()
    }

    // Import refuses with the same reason, and keeps nothing.
    const refused = await workshop.api.bundles.import({ fileId: await sendFile(workshop.api, flipped, 'tampered.otab') })
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^The bundle was refused \(blobs check\): Blob payload\/rel_/) } })
    expect(value(await workshop.api.bundles.list()).bundles).toHaveLength(1)

    // TUF freshness offline: timestamp and snapshot must have been valid when the bundle was made; the pinned root must match.
    const pinned = SignedRoot.parse(manifest.header.signed.tuf.roots[0])
    expect(() => verifyOfflineTuf(pinned, manifest.header.signed.tuf, { now: Date.now(), madeAt: Date.now() + 30 * 86_400_000 })).toThrow(
      /^its TUF timestamp had expired \(.+\) when the bundle was made$/
    )
    const otherRoot = { ...pinned, signed: { ...pinned.signed, expires: '2099-01-01T00:00:00Z' } }
    expect(() => verifyOfflineTuf(otherRoot, manifest.header.signed.tuf, { now: Date.now(), madeAt: Date.now() })).toThrow(
      'its TUF root v1 differs from the one this console pinned: the bundle belongs to another fleet'
    )
  }, 40_000)

  it('records results, signs them, and the online console applies them to the job once', async () => {
    const t0 = new Date(Date.now() - 60_000).toISOString()
    const t1 = new Date().toISOString()
    await service.recordResult(bundleId, {
      vin: vins[0]!,
      ecu: 'ECU_001',
      outcome: 'succeeded',
      versionBefore: '1.0.0',
      versionAfter: '1.1.0',
      startedAt: t0,
      finishedAt: t1,
      steps: [
        { at: t0, step: 'programming-session' },
        { at: t1, step: 'ecu-reset', detail: 'reports 1.1.0' }
      ]
    })
    await service.recordResult(bundleId, {
      vin: vins[1]!,
      ecu: 'ECU_001',
      outcome: 'failed',
      cause: 'install-error',
      detail: 'RequestDownload refused (NRC 0x70)',
      versionBefore: '1.0.0',
      startedAt: t0,
      finishedAt: t1
    })
    await expect(service.recordResult(bundleId, { vin: vins[1]!, ecu: 'ECU_001', outcome: 'failed', startedAt: t0, finishedAt: t1 })).rejects.toThrow(
      'The result is not valid: cause: a failed result names its cause; a succeeded one has none'
    )
    expect(value(await workshop.api.bundles.list()).bundles[0]!.results).toEqual({ succeeded: 1, failed: 1 })

    const resultsRef = value(await workshop.api.bundles.exportResults({ bundleId }))
    expect(resultsRef.name).toBe(`${bundleId}-results.otab`)
    const results = await fetchFile(workshop.api, resultsRef.fileId)
    expect(value(await workshop.api.bundles.verify({ fileId: resultsRef.fileId }))).toMatchObject({
      ok: false,
      failed: 'kind',
      message: 'The file is a workshop results file, not an offline bundle.'
    })

    const report = value(await office.api.bundles.importResults({ fileId: await sendFile(office.api, results, 'results.otab') }))
    expect(report).toMatchObject({ bundleId, applied: 2, unchanged: 0, refused: [] })
    await expect.poll(async () => value(await office.api.jobs.get({ id: jobId })).state, { timeout: 10_000 }).toBe('completed')
    const job = value(await office.api.jobs.get({ id: jobId }))
    expect(job.counts).toEqual({ succeeded: 4, failed: 1 })
    expect(job.failureCauses).toEqual({ 'install-error': 1 })
    const vehicle = (await http().get(`/api/v1/vehicles/${vins[0]}`, { token: adminToken() })).json
    expect(vehicle.ecus[0]).toMatchObject({ id: 'ECU_001', software: '1.1.0' })
    expect(vehicle.versionHistory.filter((h: { ecu: string }) => h.ecu === 'ECU_001')[0]).toMatchObject({ from: '1.0.0', to: '1.1.0', at: t1 })

    // Importing the same file again changes nothing.
    const again = value(await office.api.bundles.importResults({ fileId: await sendFile(office.api, results, 'results.otab') }))
    expect(again).toMatchObject({ applied: 0, unchanged: 2, refused: [] })
    expect(again.job.counts).toEqual(job.counts)
    const history = (await http().get(`/api/v1/vehicles/${vins[0]}`, { token: adminToken() })).json.versionHistory
    expect(history).toEqual(vehicle.versionHistory)

    // A results file altered on the way is refused by the backend.
    const { header, join: rejoin } = split(results) as unknown as { header: { signed: { results: { detail: string | null }[] } }; join(h: unknown): Buffer }
    header.signed.results[1]!.detail = 'flashed fine'
    expect(await office.api.bundles.importResults({ fileId: await sendFile(office.api, rejoin(header), 'forged.otab') })).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: "The results file's signature does not verify: it was altered after the workshop signed it." }
    })
  }, 40_000)

  it('refuses on the backend what a workshop did not sign, another job, and roles without the permission', async () => {
    const viewer = (await http().post('/api/v1/tokens', { token: adminToken(), json: { name: 'viewer', role: 'viewer' } })).json.token
    const asViewer = await http().post(`/api/v1/jobs/${jobId}/offline-bundle`, { token: viewer, json: { workshopId: 'ws_0000000000000000' } })
    expect(asViewer).toMatchObject({ status: 403, json: { error: { message: 'Role viewer may not offline.export; it needs admin or operator' } } })

    const results = await fetchFile(workshop.api, value(await workshop.api.bundles.exportResults({ bundleId })).fileId)
    const { header, join: rejoin } = split(results) as unknown as { header: { signed: { workshop: { key: unknown } } }; join(h: unknown): Buffer }
    const impostor = generateKeyPairSync('ed25519').privateKey
    const signed = { ...header.signed, workshop: { ...header.signed.workshop, key: tufKeyOf(impostor) } }
    const forged = rejoin({ signed, signatures: [{ keyid: keyIdOf(tufKeyOf(impostor)), sig: signCanonical(impostor, signed) }] })
    const post = (job: string, body: Buffer) => http().post(`/api/v1/jobs/${job}/offline-results`, { token: operatorToken, body })
    expect((await post(jobId, forged)).json.error.message).toMatch(
      /^The results are signed by another key than that of workshop Bay 3 \(ws_[0-9a-f]{16}\), for which bundle bdl_[0-9a-f]{16} was made\.$/
    )
    const otherJob = value(await office.api.jobs.create({ name: 'another', releaseId, selection: { vins: [vins[1]!] }, rollout: { waves: [{ size: { percent: 100 } }] } }))
    expect((await post(otherJob.id, results)).json).toEqual({ error: { code: 'bad-request', message: `The results are for job ${jobId}, not ${otherJob.id}.` } })
    expect((await post(jobId, Buffer.from('not a results file at all'))).json.error.message).toBe(
      'The file is not an offline bundle or results file (it does not start with OTAB).'
    )
  }, 30_000)

  it('shuts a revoked workshop console out: no bundle is made for it, its results are refused, its keys may not register again', async () => {
    const results = await fetchFile(workshop.api, value(await workshop.api.bundles.exportResults({ bundleId })).fileId)
    const bay3 = value(await office.api.bundles.workshops()).workshops.find((w) => w.name === 'Bay 3')!
    const revoked = await http().post(`/api/v1/certificates/${bay3.certificate!.serial}/revoke`, {
      token: operatorToken,
      json: { reason: 'keyCompromise', comment: 'laptop stolen' }
    })
    expect(revoked.json.revocation).toMatchObject({ reason: 'keyCompromise', by: 'office-operator' })
    const refusal = new RegExp(`the certificate of workshop ${bay3.id} was revoked at .* \\(keyCompromise\\)`)
    const again = await http().post(`/api/v1/jobs/${jobId}/offline-results`, { token: operatorToken, body: results })
    expect([again.status, again.json.error.message]).toEqual([409, expect.stringMatching(/^The results of workshop Bay 3 are refused: /)])
    expect(again.json.error.message).toMatch(refusal)
    const exported = await office.api.bundles.export({ jobId, workshopId: bay3.id, expiresInHours: 24 })
    expect(exported).toMatchObject({ ok: false, error: { message: expect.stringMatching(refusal) } })
    // The workshop console, online again, may not come back with the same keys.
    const bay3Profile = value(await workshop.api.profiles.list()).profiles.find((p) => p.name === 'bay-3')!
    value(await workshop.api.profiles.setActive({ id: bay3Profile.id }))
    expect(await workshop.api.bundles.registerWorkshop({ name: 'Bay 3' })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/its keys may not register again; a console with new keys registers as a new workshop/) }
    })
  }, 30_000)
})
