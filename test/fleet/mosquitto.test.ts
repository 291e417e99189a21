import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningBackend } from '../../src/backend/server'
import { hardwareFor } from '../../src/vehicle/fleet-spec'
import { mapLimit, startFleet } from '../../src/vehicle/fleet'
import { apiClient } from '../support/https-client'
import { startBackendOnMosquitto, type BackendOnMosquitto } from '../support/backend-on-mosquitto'
import type { RunningMosquitto } from '../support/mosquitto'

const VEHICLES = 200

// 200 vehicles update through a real Mosquitto (TLS, password file and ACL written by the
// backend), with 10% injected failures, and the broker restarts in the middle. The vehicles speak
// MQTT 5 and the backend MQTT 3.1.1, so both versions carry the protocol on one broker.
describe('an update through Mosquitto', () => {
  let env: BackendOnMosquitto
  let broker: RunningMosquitto
  let backend: RunningBackend

  beforeAll(async () => {
    env = await startBackendOnMosquitto('ota-mosq')
    ;({ broker, backend } = env)
  })
  afterAll(() => env?.close())

  it('loses no progress report when the broker restarts mid-update, and every failure has its cause', async () => {
    const api = apiClient(backend.url, backend.caCertPem)
    const token = backend.firstAdminToken!
    const fleet = await startFleet({
      backendUrl: backend.url,
      mqttUrl: env.vehicleUrl,
      ca: env.pki.caCertPem,
      token,
      count: VEHICLES,
      models: ['model_a'],
      ecus: 2,
      failureRate: 0.1,
      offlineRate: 0,
      seed: 2026,
      pq: false,
      pollMs: 0,
      mqttVersion: 5,
      log: () => {}
    })
    try {
      expect(fleet.vehicles.every((v) => v.connected())).toBe(true)
      const { sha256 } = (await api.post('/api/v1/artifacts', { token, body: randomBytes(100_000) })).json
      const rel = (
        await api.post('/api/v1/releases', { token, json: { model: 'model_a', ecu: 'ECU_001', version: '1.1.0', hardware: [hardwareFor('model_a', 1)], artifactSha256: sha256 } })
      ).json
      await api.post(`/api/v1/releases/${rel.id}/publish`, { token })

      // Twenty at a time, as vehicles come online through a day: the restart then always falls mid-update.
      const updating = mapLimit(fleet.vehicles, 20, (v) => v.checkForUpdates())
      // Restart once some vehicles have finished and others have not: mid-update.
      await expect.poll(() => fleet.vehicles.filter((v) => v.outcomes.length > 0).length, { interval: 20, timeout: 20_000 }).toBeGreaterThan(VEHICLES * 0.1)
      const finishedBefore = fleet.vehicles.filter((v) => v.outcomes.length > 0).length
      await broker.restart()
      expect(finishedBefore).toBeLessThan(VEHICLES * 0.9)
      await updating

      const outcomes = fleet.vehicles.map((v) => v.outcomes.at(-1)!)
      const failed = outcomes.filter((o) => !o.ok)
      expect(outcomes).toHaveLength(VEHICLES)
      expect(failed.length).toBeGreaterThan(VEHICLES * 0.03)
      expect(failed.length).toBeLessThan(VEHICLES * 0.2)
      for (const f of failed) expect(['download-interrupted', 'hash-mismatch', 'signature-invalid', 'install-error', 'consent-refused', 'low-battery']).toContain(f.cause)
      for (const [i, v] of fleet.vehicles.entries()) expect(v.versions().ECU_001).toBe(outcomes[i]!.ok ? '1.1.0' : '1.0.0')

      // Every vehicle's last word reached the backend, through the restart.
      const finals = async () =>
        backend.services.db.all<{ vin: string; step: string; cause: string | null }>(
          `SELECT vin, step, cause FROM update_history WHERE release_id = ? AND step IN ('done', 'failed')`,
          [rel.id]
        )
      await expect.poll(async () => (await finals()).length, { timeout: 20_000, interval: 250 }).toBe(VEHICLES)
      const byVin = new Map((await finals()).map((r) => [r.vin, r]))
      for (const [i, v] of fleet.vehicles.entries()) {
        const o = outcomes[i]!
        expect(byVin.get(v.spec.vin)).toEqual({ vin: v.spec.vin, step: o.ok ? 'done' : 'failed', cause: o.ok ? null : o.cause })
      }
      const updated = await api.get('/api/v1/vehicles?ecu=ECU_001&version=1.1.0&limit=1000', { token })
      await expect
        .poll(async () => (await api.get('/api/v1/vehicles?ecu=ECU_001&version=1.1.0&limit=1000', { token })).json.vehicles.length, { timeout: 10_000 })
        .toBe(VEHICLES - failed.length)
      expect(updated.status).toBe(200)
    } finally {
      await fleet.stop()
    }
  }, 120_000)
})
