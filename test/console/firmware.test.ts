import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import type { OtaApi } from '../../src/shared/api'
import { UPLOAD_CHUNK_BYTES } from '../../src/shared/calls/firmware'
import { createBackendClient } from '../../src/core/backend/backend-client'
import { createUploads } from '../../src/core/firmware/uploads'
import { ipcClient, wsClient, type ContractClient } from '../support/clients'
import { apiClient } from '../support/https-client'
import { keychainPeer } from '../support/keychain-peer'
import { filesContaining, signIn, value } from '../support/profiles'
import { tempDir } from '../support/temp-dir'
import { vehicleTuf as vehicleTufOf } from '../support/vehicle-tuf'

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

/** Uploads `file` through the contract in the chunks the renderer would send. */
async function upload(api: OtaApi, file: Buffer, name = 'ecu.bin') {
  const { id, chunkBytes } = value(await api.uploads.begin({ name, size: file.length }))
  for (let offset = 0; offset < file.length; offset += chunkBytes) {
    value(await api.uploads.chunk({ id, offset, data: file.subarray(offset, offset + chunkBytes).toString('base64') }))
  }
  return value(await api.uploads.finish({ id }))
}

// The firmware screen's calls against a real backend: chunked uploads over both transports,
// releases, and the targets list signed with a release key that lives in the OS keychain, as a
// vehicle's TUF client then verifies it.
describe('firmware from the console', () => {
  const data = tempDir('ota-console-firmware')
  let backend: RunningBackend
  let admin: ContractClient
  let adminProfile: string
  const http = () => apiClient(backend.url, backend.caCertPem)

  const vehicleTuf = () => vehicleTufOf(backend)

  beforeAll(async () => {
    backend = await startBackend({ dataDir: join(data.dir, 'backend'), log: () => {} })
    admin = await ipcClient()
    adminProfile = await signIn(admin, backend, backend.firstAdminToken!, 'admin')
  }, 60_000)
  afterAll(async () => {
    await admin?.close()
    await backend?.close()
    data.remove()
  })

  it('uploads a file in chunks over IPC and over the browser host, with the sha256 and size the backend computed', async () => {
    const file = randomBytes(2 * UPLOAD_CHUNK_BYTES + 12_345)
    expect(await upload(admin.api, file)).toEqual({ sha256: sha256(file), size: file.length })

    const browser = await wsClient()
    try {
      await signIn(browser, backend, backend.firstAdminToken!, 'browser')
      const other = randomBytes(UPLOAD_CHUNK_BYTES + 1)
      expect(await upload(browser.api, other)).toEqual({ sha256: sha256(other), size: other.length })
    } finally {
      await browser.close()
    }
  })

  it('refuses a chunk at the wrong offset or past the size, and finishing early, saying what is wrong', async () => {
    const file = randomBytes(1000)
    const { api } = admin
    const { id } = value(await api.uploads.begin({ name: 'fw.bin', size: file.length }))
    expect(await api.uploads.chunk({ id, offset: 10, data: file.subarray(10, 20).toString('base64') })).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'The chunk starts at byte 10, but 0 bytes of fw.bin have arrived so far: send the chunk that starts at byte 0.' }
    })
    value(await api.uploads.chunk({ id, offset: 0, data: file.subarray(0, 600).toString('base64') }))
    expect(await api.uploads.finish({ id })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'Only 600 of the 1000 bytes of fw.bin have arrived.' } })
    expect(await api.uploads.chunk({ id, offset: 600, data: randomBytes(500).toString('base64') })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'The chunk ends at byte 1100, past the 1000 bytes announced for fw.bin.' }
    })
    value(await api.uploads.chunk({ id, offset: 600, data: file.subarray(600).toString('base64') }))
    expect(value(await api.uploads.finish({ id }))).toEqual({ sha256: sha256(file), size: 1000 })
    expect(await admin.raw('uploads.chunk', { id, offset: 0, data: 'bm90IGJhc2U2NA' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
  })

  it('cancels mid-way: the request ends and the backend keeps nothing of it', async () => {
    const blobs = join(data.dir, 'backend', 'blobs')
    const uploadsBefore = readdirSync(join(blobs, 'uploads'))
    const file = randomBytes(3 * UPLOAD_CHUNK_BYTES)
    const { api } = admin
    const { id } = value(await api.uploads.begin({ name: 'big.bin', size: file.length }))
    value(await api.uploads.chunk({ id, offset: 0, data: file.subarray(0, UPLOAD_CHUNK_BYTES).toString('base64') }))
    await expect.poll(() => readdirSync(join(blobs, 'tmp')).length).toBe(1)

    value(await api.uploads.cancel({ id }))
    await expect.poll(() => readdirSync(join(blobs, 'tmp'))).toEqual([])
    expect(readdirSync(join(blobs, 'uploads'))).toEqual(uploadsBefore)
    expect(existsSync(join(blobs, 'uploads', sha256(file)))).toBe(false)
    expect(await api.uploads.chunk({ id, offset: UPLOAD_CHUNK_BYTES, data: 'AAAA' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    // The console's connection to the backend is fine afterwards.
    expect(await upload(api, file.subarray(0, 100))).toMatchObject({ size: 100 })
  })

  it('aborts an upload whose renderer went away, so no request hangs on the backend', async () => {
    const blobs = join(data.dir, 'backend', 'blobs')
    const profile = value(await admin.api.profiles.list()).profiles.find((p) => p.id === adminProfile)!
    const client = createBackendClient({ profile, secrets: { password: backend.firstAdminToken! } })
    const uploads = createUploads({ client: async () => client, idleMs: 1000 })
    try {
      const { id } = await uploads.begin({ name: 'orphan.bin', size: 10_000 })
      await uploads.chunk({ id, offset: 0, data: randomBytes(5000).toString('base64') })
      await expect.poll(() => readdirSync(join(blobs, 'tmp')).length).toBe(1)
      await expect.poll(() => readdirSync(join(blobs, 'tmp'))).toEqual([])
      await expect(uploads.chunk({ id, offset: 5000, data: randomBytes(10).toString('base64') })).rejects.toThrow('The upload of orphan.bin stopped: no data arrived for 1 s.')
    } finally {
      client.close()
    }
  })

  it('signs the targets with a keychain key once an admin registers it; publish and withdraw sign in the same step', async () => {
    const { api } = admin
    expect(value(await api.signing.status())).toMatchObject({ key: null, signer: 'other', pending: [] })

    const registered = value(await api.signing.register())
    expect(registered).toMatchObject({ signer: 'console', pending: [], key: { keyid: registered.trustedKeyId } })
    expect((await vehicleTuf()).state.targetsVersion).toBe(registered.targets!.version)

    const image = randomBytes(40_000)
    const artifact = await upload(api, image)
    const release = value(
      await api.releases.create({ model: 'model_a', ecu: 'ECU_001', version: '2.1.0', hardware: ['model_a-ecu001-hw1'], notes: 'CAN wake-up fix', artifactSha256: artifact.sha256 })
    )
    expect(value(await api.releases.list()).releases).toContainEqual(expect.objectContaining({ id: release.id, published: false }))

    const published = value(await api.releases.publish({ id: release.id }))
    expect(published).toMatchObject({ signed: 'console', message: null, release: { id: release.id, published: true } })
    const target = (await vehicleTuf()).target('model_a/ECU_001/2.1.0.bin')
    expect(target?.custom).toMatchObject({ releaseId: release.id, plaintextSha256: sha256(image), hardware: ['model_a-ecu001-hw1'] })
    expect((await http().get('/tuf/root.json')).json.signed.roles.targets.keyids).toEqual([registered.key!.keyid])

    expect(value(await api.releases.withdraw({ id: release.id }))).toMatchObject({ signed: 'console', release: { published: false } })
    expect((await vehicleTuf()).target('model_a/ECU_001/2.1.0.bin')).toBeUndefined()
  })

  it('shows a change made behind its back as pending, and signs it only as reviewed', async () => {
    const { api } = admin
    const token = backend.firstAdminToken!
    const { sha256: sum } = (await http().post('/api/v1/artifacts', { token, body: randomBytes(5000) })).json
    const rel = (await http().post('/api/v1/releases', { token, json: { model: 'model_b', ecu: 'ECU_002', version: '1.4.0', hardware: ['hw'], artifactSha256: sum } })).json
    await http().post(`/api/v1/releases/${rel.id}/publish`, { token })

    const status = value(await api.signing.status())
    expect(status.pending).toEqual([{ kind: 'added', path: 'model_b/ECU_002/1.4.0.bin', releaseId: rel.id, model: 'model_b', ecu: 'ECU_002', version: '1.4.0', imageSha256: sum }])
    expect((await vehicleTuf()).target('model_b/ECU_002/1.4.0.bin')).toBeUndefined()
    // While a change waits, a publish from the console would sign it too: refused until reviewed.
    expect(await api.releases.publish({ id: rel.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })

    expect(await api.signing.sign({ fingerprint: '0'.repeat(64) })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/no longer the ones you reviewed/) }
    })
    expect(value(await api.signing.sign({ fingerprint: status.fingerprint! }))).toMatchObject({ signer: 'console', pending: [] })
    expect((await vehicleTuf()).target('model_b/ECU_002/1.4.0.bin')?.custom?.plaintextSha256).toBe(sum)
  })

  it('keeps the release key in the keychain only; an encrypted backup lets a release manager sign elsewhere', async () => {
    const accounts = keychainPeer.entries()
    const stored = accounts.find((c) => c.account === `profile/${adminProfile}/release-key`)!
    expect(stored.password).toMatch(/^-----BEGIN PRIVATE KEY-----/)
    const keyBody = stored.password.split('\n')[1]!
    expect(filesContaining(admin.dataDir, keyBody)).toEqual([])

    const { api } = admin
    expect(await api.signing.exportBackup({ passphrase: 'short' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    const backup = value(await api.signing.exportBackup({ passphrase: 'correct horse battery staple' }))
    expect(backup.pem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/)
    expect(backup.pem).not.toContain(keyBody)

    const manager = await ipcClient()
    try {
      const token = (await http().post('/api/v1/tokens', { token: backend.firstAdminToken!, json: { name: 'rm', role: 'release-manager' } })).json.token
      await signIn(manager, backend, token, 'rm')
      expect(await manager.api.signing.register()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'Role release-manager may not tuf.rotate; it needs admin' } })
      // Trying made this profile a key of its own; the backup replaces it only when told to.
      expect(await manager.api.signing.importBackup({ pem: backup.pem, passphrase: 'wrong passphrase!', replace: false })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT' }
      })
      expect(await manager.api.signing.importBackup({ pem: backup.pem, passphrase: 'correct horse battery staple', replace: false })).toMatchObject({
        ok: false,
        error: { code: 'CONFLICT', message: expect.stringMatching(/already has a different release key/) }
      })
      expect(value(await manager.api.signing.importBackup({ pem: backup.pem, passphrase: 'correct horse battery staple', replace: true }))).toMatchObject({ signer: 'console' })

      const artifact = await upload(manager.api, randomBytes(3000))
      const rel = value(await manager.api.releases.create({ model: 'model_a', ecu: 'ECU_003', version: '5.0.0', hardware: ['hw'], notes: '', artifactSha256: artifact.sha256 }))
      expect(value(await manager.api.releases.publish({ id: rel.id }))).toMatchObject({ signed: 'console' })
      expect((await vehicleTuf()).target('model_a/ECU_003/5.0.0.bin')).toBeDefined()
    } finally {
      await manager.close()
    }
  })
})
