import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { unwrapDataKey } from '../../src/crypto/data-key'
import { vehicleDataKeyContext } from '../../src/shared/data-key'
import { unseal } from '../../src/vehicle/unseal'
import { apiClient } from '../support/https-client'
import { tempDir } from '../support/temp-dir'
import { enrolledVehicle } from '../support/vehicle-keys'

// A model key rotates: the release data keys of the model re-wrapped by a new key, the old one
// retired, every published release still downloadable (before a restart and after), each use of a
// key in the audit log with the role that caused it.
describe('model-key rotation', () => {
  const data = tempDir('ota-model-key')
  const vin = 'SMVR0TATE00000001'
  let backend: RunningBackend
  let admin: string
  let vehicle: Awaited<ReturnType<typeof enrolledVehicle>>
  const firmware = [randomBytes(10_000), randomBytes(20_000)]
  const releases: string[] = []

  beforeAll(async () => {
    backend = await startBackend({ dataDir: data.dir, log: () => {} })
    admin = backend.firstAdminToken!
    const api = apiClient(backend.url, backend.caCertPem)
    vehicle = await enrolledVehicle(api, admin, { vin, model: 'model_a', region: 'eu' })
    for (const [i, image] of firmware.entries()) {
      const sha256 = (await api.post('/api/v1/artifacts', { token: admin, body: image })).json.sha256
      const release = { model: 'model_a', ecu: `ECU_00${i + 1}`, version: '2.0.0', hardware: ['hw-a1'], notes: '', artifactSha256: sha256 }
      const id = (await api.post('/api/v1/releases', { token: admin, json: release })).json.id
      expect((await api.post(`/api/v1/releases/${id}/publish`, { token: admin })).status).toBe(200)
      releases.push(id)
    }
  })
  afterAll(async () => {
    await backend?.close()
    data.remove()
  })

  const downloadsAll = async () => {
    const asVehicle = apiClient(backend.url, backend.caCertPem, vehicle.identity)
    const ecus = firmware.map((_, i) => ({ ecu: `ECU_00${i + 1}`, hardware: 'hw-a1', version: '1.0.0' }))
    const { updates } = (await asVehicle.post('/api/v1/device/check-update', { json: { ecus } })).json
    expect(updates).toHaveLength(firmware.length)
    for (const offer of updates) {
      const key = unwrapDataKey(offer.dataKey, Buffer.from(vehicle.credentials.kemSeed, 'base64'), vehicleDataKeyContext(vin, offer.releaseId))
      const image = unseal((await asVehicle.get(offer.url)).body, key)
      expect(image.equals(firmware[releases.indexOf(offer.releaseId)]!), offer.releaseId).toBe(true)
    }
  }
  const modelKeys = () =>
    backend.services.db.all<{ version: number; wrapped_key: string | null; retired_at: string | null }>(
      "SELECT version, wrapped_key, retired_at FROM model_keys WHERE model = 'model_a' ORDER BY version"
    )

  it('re-wraps every release data key of the model and retires the old key; every release still downloads, after a restart too', async () => {
    await downloadsAll()
    const api = apiClient(backend.url, backend.caCertPem)
    const viewer = (await api.post('/api/v1/tokens', { token: admin, json: { name: 'viewer-user', role: 'viewer' } })).json.token
    expect((await api.post('/api/v1/models/model_a/key/rotate', { token: viewer })).status).toBe(403)

    const rotated = await api.post('/api/v1/models/model_a/key/rotate', { token: admin })
    expect(rotated).toMatchObject({ status: 200, json: { model: 'model_a', version: 2, rewrapped: 2, retired: [1] } })
    const keys = await modelKeys()
    expect(keys.map((k) => [Number(k.version), k.wrapped_key === null, k.retired_at !== null])).toEqual([
      [1, true, true],
      [2, false, false]
    ])
    const wrappedBy = await backend.services.db.all<{ model_key_version: number }>('SELECT model_key_version FROM release_keys')
    expect(wrappedBy.map((r) => Number(r.model_key_version))).toEqual([2, 2])
    await downloadsAll()

    await backend.close()
    backend = await startBackend({ dataDir: data.dir, log: () => {} })
    await downloadsAll()
  })

  it('records each wrap and unwrap with who caused it', async () => {
    const audit = await backend.services.db.all<{ actor: string; role: string; action: string; object: string; detail: string }>(
      "SELECT actor, role, action, object, detail FROM audit WHERE action LIKE 'key.%' ORDER BY id"
    )
    expect(audit).toEqual(
      expect.arrayContaining([
        { actor: 'admin', role: 'admin', action: 'key.wrap', object: 'model-key model_a v1', detail: `new data key of release ${releases[0]}` },
        { actor: 'admin', role: 'admin', action: 'key.unwrap', object: 'model-key model_a v1', detail: `data key of release ${releases[1]}, to re-wrap` },
        { actor: 'admin', role: 'admin', action: 'key.wrap', object: 'model-key model_a v2', detail: `data key of release ${releases[1]}, re-wrapped` },
        { actor: 'admin', role: 'admin', action: 'key.rotate', object: 'model-key model_a', detail: 'v2, 2 release data key(s) re-wrapped, retired v1' },
        // After the restart the vehicle's check-update opened the data key again: the vehicle caused it.
        { actor: `vehicle:${vin}`, role: 'device', action: 'key.unwrap', object: 'model-key model_a v2', detail: `data key of release ${releases[0]}` }
      ])
    )
  })
})
