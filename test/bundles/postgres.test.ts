import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { createBundleService } from '../../src/core/bundles/bundle-service'
import { createOsKeychain } from '../../src/core/secrets/os-keychain'
import { openDatabase } from '../../src/core/store/database'
import { ipcClient, type ContractClient } from '../support/clients'
import { apiClient } from '../support/https-client'
import { startPostgres, type RunningPostgres } from '../support/postgres'
import { signIn, value } from '../support/profiles'
import { tempDir } from '../support/temp-dir'
import { fetchFile, sendFile } from './support'
import { throwawayKemKey } from '../support/vehicle-keys'

const VINS = ['PGB00000000000001', 'PGB00000000000002', 'PGB00000000000003']

// The backend's side of offline jobs on PostgreSQL: claiming executions, the bundle's vehicles,
// and results applied once, with vehicles that report through the registry directly.
describe('offline bundles on PostgreSQL', () => {
  const data = tempDir('ota-bundles-pg')
  let cluster: RunningPostgres
  let backend: RunningBackend
  let client: ContractClient

  beforeAll(async () => {
    cluster = await startPostgres()
    backend = await startBackend({ dataDir: join(data.dir, 'backend'), database: await cluster.database('bundles'), engineTickMs: 100, log: () => {} })
    client = await ipcClient()
  }, 60_000)
  afterAll(async () => {
    await client?.close()
    await backend?.close()
    await cluster?.stop()
    data.remove()
  })

  it('exports, imports offline, and applies the workshop results once', async () => {
    const token = backend.firstAdminToken!
    const http = apiClient(backend.url, backend.caCertPem)
    for (const vin of VINS) {
      await http.post('/api/v1/vehicles', { token, json: { vin, model: 'model_p', region: 'eu', kemPublicKey: throwawayKemKey() } })
      const ecus = [{ id: 'ECU_001', logicalAddress: 0x1001, hardware: 'hw-p', software: '2.0.0' }]
      await backend.services.registry.applyReport({
        vin,
        model: 'model_p',
        gateway: { logicalAddress: 0x0e00, hardware: 'gw', software: '1.0.0' },
        zonalGateways: [{ id: 'ZGW_01', logicalAddress: 0x0e01, ecus }],
        at: new Date().toISOString()
      })
    }
    const { sha256 } = (await http.post('/api/v1/artifacts', { token, body: randomBytes(30_000) })).json
    const releaseId = (await http.post('/api/v1/releases', { token, json: { model: 'model_p', ecu: 'ECU_001', version: '2.1.0', hardware: ['hw-p'], artifactSha256: sha256 } }))
      .json.id
    await http.post(`/api/v1/releases/${releaseId}/publish`, { token })

    await signIn(client, backend, token, 'pg')
    // Scheduled for later: a workshop job leaves before the engine would notify anyone.
    const startAt = new Date(Date.now() + 3_600_000).toISOString()
    const job = value(
      await client.api.jobs.create({ name: 'pg', releaseId, selection: {}, rollout: { waves: [{ size: { percent: 100 } }] }, schedule: { startAt, maintenanceWindows: [] } })
    )
    const { workshop } = value(await client.api.bundles.registerWorkshop({ name: 'PG bay' }))
    const exported = value(await client.api.bundles.export({ jobId: job.id, workshopId: workshop!.id }))
    const claimed = await backend.services.db.all<{ vin: string }>('SELECT vin FROM executions WHERE offline_bundle_id = ? ORDER BY vin', [exported.bundleId])
    expect(claimed.map((r) => r.vin)).toEqual(VINS)

    const imported = value(await client.api.bundles.import({ fileId: await sendFile(client.api, await fetchFile(client.api, exported.fileId), 'b.otab') }))
    expect(imported).toMatchObject({ id: exported.bundleId, vehicles: 3 })
    const service = createBundleService({ db: openDatabase(client.dataDir).db, secrets: createOsKeychain(), dataDir: client.dataDir })
    const at = new Date().toISOString()
    for (const vin of VINS)
      await service.recordResult(exported.bundleId, { vin, ecu: 'ECU_001', outcome: 'succeeded', versionBefore: '2.0.0', versionAfter: '2.1.0', startedAt: at, finishedAt: at })
    const results = await fetchFile(client.api, value(await client.api.bundles.exportResults({ bundleId: exported.bundleId })).fileId)

    expect(value(await client.api.bundles.importResults({ fileId: await sendFile(client.api, results, 'r.otab') }))).toMatchObject({ applied: 3, unchanged: 0, refused: [] })
    expect(value(await client.api.bundles.importResults({ fileId: await sendFile(client.api, results, 'r.otab') }))).toMatchObject({ applied: 0, unchanged: 3, refused: [] })
    expect(value(await client.api.jobs.get({ id: job.id })).counts).toEqual({ succeeded: 3 })
    const history = await backend.services.db.all<{ n: number }>("SELECT COUNT(*) AS n FROM version_history WHERE to_version = '2.1.0'")
    expect(Number(history[0]!.n)).toBe(3)
  }, 60_000)
})
