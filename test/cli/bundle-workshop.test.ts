import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { DoipTransport } from '../../src/core/uds-session/doip/doip-transport'
import { createDiagSession } from '../../src/core/uds-session/session'
import { hardwareFor } from '../../src/vehicle/fleet-spec'
import { startFleet } from '../../src/vehicle/fleet'
import { apiClient } from '../support/https-client'
import { tempDir } from '../support/temp-dir'
import { consoleDir, otactl } from './support'

// The workshop flow with otactl as separate processes: the office exports a job's vehicles as a
// bundle, the workshop console verifies and imports it and flashes a vehicle over DoIP with no
// backend (the job does not move), fails on another whose ECU refuses, and the signed results,
// imported online, finish both executions.
describe('otactl bundle: a workshop flashes a vehicle from an offline bundle', () => {
  const data = tempDir('otactl-workshop')
  const firmware = randomBytes(200_000)
  let backend: RunningBackend
  let fleet: Awaited<ReturnType<typeof startFleet>>
  let vins: string[]
  let jobId: string
  let office: string
  let workshop: string
  const http = () => apiClient(backend.url, backend.caCertPem)
  const admin = () => backend.firstAdminToken!
  const executions = async () =>
    Object.fromEntries(
      ((await http().get(`/api/v1/jobs/${jobId}/executions?limit=10`, { token: admin() })).json.executions as { vin: string; state: string }[]).map((e) => [e.vin, e.state])
    )

  beforeAll(async () => {
    backend = await startBackend({ dataDir: join(data.dir, 'backend'), engineTickMs: 100, log: () => {} })
    fleet = await startFleet({
      backendUrl: backend.url,
      mqttUrl: backend.mqttUrl,
      ca: backend.caCertPem,
      token: admin(),
      count: 2,
      models: ['model_a'],
      ecus: 1,
      failureRate: 0,
      offlineRate: 0,
      seed: 43,
      pq: false,
      pollMs: 0,
      doip: { host: '127.0.0.1', port: 0 },
      log: () => {}
    })
    vins = fleet.vehicles.map((v) => v.spec.vin)
    const { sha256 } = (await http().post('/api/v1/artifacts', { token: admin(), body: firmware })).json
    const release = (
      await http().post('/api/v1/releases', {
        token: admin(),
        json: { model: 'model_a', ecu: 'ECU_001', version: '1.1.0', hardware: [hardwareFor('model_a', 1)], artifactSha256: sha256 }
      })
    ).json
    await http().post(`/api/v1/releases/${release.id}/publish`, { token: admin() })
    const spec = {
      name: 'Workshop recall',
      releaseId: release.id,
      selection: { vins },
      rollout: { waves: [{ size: { percent: 100 } }] },
      schedule: { startAt: new Date(Date.now() + 3_600_000).toISOString() }
    }
    for (let tries = 0; (await http().post('/api/v1/jobs/dry-run', { token: admin(), json: spec })).json.selected !== 2; tries++) {
      if (tries > 100) throw new Error('the vehicles never reported their ECUs')
      await new Promise((r) => setTimeout(r, 100))
    }
    // A job that starts later: its executions wait queued, so the office can hand them to a workshop.
    jobId = (await http().post('/api/v1/jobs', { token: admin(), json: spec })).json.id
    const operator = (await http().post('/api/v1/tokens', { token: admin(), json: { name: 'office', role: 'operator' } })).json.token
    office = await consoleDir(join(data.dir, 'office'), backend, operator, 'office')
    workshop = await consoleDir(join(data.dir, 'workshop'), backend, admin(), 'bay-7')
  }, 40_000)
  afterAll(async () => {
    await fleet?.stop()
    await backend?.close()
    data.remove()
  })

  it('exports, verifies, imports, flashes over DoIP, and brings the results back to the job', async () => {
    const registered = await otactl('bundle', 'register', '--data-dir', workshop, '--name', 'Bay 7')
    expect(registered.stdout).toMatch(/^This console is workshop Bay 7 \(ws_[0-9a-f]{16}\) of https:\/\/127\.0\.0\.1:\d+; pinned its bundle key [0-9a-f]{12}… and TUF root v1\.\n$/)
    const exported = await otactl(
      'bundle',
      'export',
      '--data-dir',
      office,
      '--job',
      jobId,
      '--workshop',
      'Bay 7',
      '--vins',
      vins.join(','),
      '--out',
      join(data.dir, 'recall.otab'),
      '--json'
    )
    expect(exported.code).toBe(0)
    const { bundleId } = JSON.parse(exported.stdout) as { bundleId: string }
    expect(JSON.parse(exported.stdout)).toEqual({ bundleId: expect.stringMatching(/^bdl_[0-9a-f]{16}$/), path: join(data.dir, 'recall.otab') })

    // From here on the workshop console has no active profile: nothing it does asks the backend.
    await consoleDir(workshop, backend, admin(), 'bay-7', false)
    const good = join(data.dir, 'recall.otab')
    const tampered = Buffer.from(readFileSync(good))
    tampered[tampered.length - 50]! ^= 0x01
    writeFileSync(join(data.dir, 'tampered.otab'), tampered)
    const [refused, imported] = await Promise.all([
      otactl('bundle', 'verify', '--data-dir', workshop, join(data.dir, 'tampered.otab')),
      otactl('bundle', 'import', '--data-dir', workshop, good)
    ])
    expect(refused.code).toBe(5)
    expect(refused.stdout).toMatch(
      /^FAIL {2}blobs {6}Blob payload\/rel_[0-9a-f]+ differs from the signed manifest \(its sha256 does not match\): the file was altered after the backend signed it\.$/m
    )
    expect(
      refused.stdout
        .split('\n')
        .slice(0, 5)
        .every((l) => l.startsWith('ok  '))
    ).toBe(true)
    expect(refused.stdout).toContain('Refused: the blobs check failed; nothing in this file may be used.')
    expect(imported).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`^Imported: ${bundleId} {2}job "Workshop recall" \\(${jobId}\\) {2}2 vehicle\\(s\\)`)) })

    // The bundle's vehicle 0 on the DoIP port of vehicle 1 is refused before anything is written.
    const [port0, port1] = fleet.entities.map((e) => `127.0.0.1:${e.tcpPort}`)
    const wrongCar = await otactl('bundle', 'run', '--data-dir', workshop, '--bundle', bundleId, '--vin', vins[0]!, '--doip', port1!)
    expect(wrongCar.code).toBe(5)
    expect(wrongCar.stderr).toContain(
      `The vehicle on this DoIP connection reports VIN ${vins[1]} at its gateway 0x0E00; bundle ${bundleId} is being run for ${vins[0]}. Nothing was flashed.`
    )

    const run = await otactl('bundle', 'run', '--data-dir', workshop, '--bundle', bundleId, '--vin', vins[0]!, '--doip', port0!)
    expect(run.code).toBe(0)
    expect(run.stdout.trim().split('\n')).toEqual([
      `Vehicle ${vins[0]}: its gateway (0x0E00) reports this VIN. To flash: ECU_001 (0x1001) → 1.1.0.`,
      expect.stringMatching(/^ECU_001 \(0x1001\): 1\.0\.0 → 1\.1\.0 \(release rel_[0-9a-f]+\)$/),
      'ECU_001 (0x1001): succeeded; F195 reads 1.1.0.',
      `1 succeeded, 0 failed, 0 skipped. Results are recorded for bundle ${bundleId}; take them back with: otactl bundle results export --bundle ${bundleId}`
    ])
    expect(run.stderr).toMatch(/^ECU_001 transfer 100% {2}200 kB of 200 kB {2}[\d.,]+ [kMG]?B\/s {2}ETA 0\.0 s$/m)
    expect(fleet.vehicles[0]!.versions().ECU_001).toBe('1.1.0')
    // Offline, the job has not moved.
    expect(await executions()).toEqual({ [vins[0]!]: 'queued', [vins[1]!]: 'queued' })

    const shown = JSON.parse((await otactl('bundle', 'show', '--data-dir', workshop, bundleId, '--json')).stdout)
    expect(shown.results).toEqual([expect.objectContaining({ vin: vins[0], ecu: 'ECU_001', outcome: 'succeeded', cause: null, versionBefore: '1.0.0', versionAfter: '1.1.0' })])
    expect(shown.results[0].steps.map((s: { step: string }) => s.step)).toEqual([
      'verify',
      'prepare',
      'session',
      'unlock',
      'erase',
      'download',
      'transfer',
      'exit',
      'check',
      'reset',
      'readBack',
      'done'
    ])

    // Vehicle 1's ECU is locked out by three wrong keys: its flash fails at the unlock step, and that is recorded too.
    const tester = createDiagSession(await DoipTransport.open({ host: '127.0.0.1', port: fleet.entities[1]!.tcpPort }))
    try {
      await tester.changeSession(0x1001, 0x03)
      for (let attempt = 0; attempt < 3; attempt++) {
        await tester.request(0x1001, Uint8Array.of(0x27, 0x01))
        await tester.request(0x1001, Uint8Array.of(0x27, 0x02, 0, 0, 0, 0))
      }
    } finally {
      await tester.close()
    }
    const lockedOut = await otactl('bundle', 'run', '--data-dir', workshop, '--bundle', bundleId, '--vin', vins[1]!, '--doip', port1!, '--json')
    expect(lockedOut.code).toBe(4)
    const [failed] = JSON.parse(lockedOut.stdout).ecus
    expect(failed).toMatchObject({ ecu: 'ECU_001', state: 'failed', result: { outcome: 'failed', cause: 'install-error', versionBefore: '1.0.0', versionAfter: '1.0.0' } })
    expect(failed.error).toMatchObject({ kind: 'negativeResponse', exit: 4, nrc: { code: '0x37', name: 'requiredTimeDelayNotExpired' } })
    expect(failed.result.detail).toMatch(/^unlock: ECU 0x1001: 0x27 refused: requiredTimeDelayNotExpired \(0x37\)/)

    const resultsFile = join(data.dir, 'results.otab')
    const resultsOut = await otactl('bundle', 'results', 'export', '--data-dir', workshop, '--bundle', bundleId, '--out', resultsFile)
    expect(resultsOut).toMatchObject({ code: 0, stdout: `2 result(s) of bundle ${bundleId}, signed by this workshop, written to ${resultsFile}\n` })

    const applied = await otactl('bundle', 'results', 'import', '--data-dir', office, resultsFile, '--json')
    expect(applied.code).toBe(0)
    expect(JSON.parse(applied.stdout)).toMatchObject({ bundleId, applied: 2, unchanged: 0, refused: [] })
    expect(await executions()).toEqual({ [vins[0]!]: 'succeeded', [vins[1]!]: 'failed' })
  }, 60_000)
})
