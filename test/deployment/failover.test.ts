import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hardwareFor } from '../../src/vehicle/fleet-spec'
import { startFleet } from '../../src/vehicle/fleet'
import { startDeployment, type Deployment } from '../support/deployment'
import { apiClient } from '../support/https-client'

const VEHICLES = 16

// The deployment of docs/deployment.md, for real: two backend processes behind HAProxy, one
// PostgreSQL, one Mosquitto (vehicle reports through a shared subscription), one S3-compatible
// store, one key set. The instance driving a campaign is killed with SIGKILL halfway; the other
// takes the job over within the lease time, and the campaign ends with every vehicle updated
// once: no execution lost, none installed twice, the audit whole.
describe('failover between two backend instances', () => {
  let deployment: Deployment

  beforeAll(async () => {
    deployment = await startDeployment(2)
  }, 180_000)
  afterAll(async () => deployment?.stop())

  it('a campaign survives the SIGKILL of the instance driving it: taken over within the lease, nothing lost, nothing twice', async () => {
    const { admin } = deployment
    const api = apiClient(deployment.lbUrl, deployment.caPem)
    const fleet = await startFleet({
      backendUrl: deployment.lbUrl,
      mqttUrl: deployment.vehicleUrl,
      ca: deployment.caPem,
      token: admin,
      count: VEHICLES,
      models: ['model_a'],
      ecus: 1,
      failureRate: 0,
      offlineRate: 0,
      seed: 77,
      pq: false,
      pollMs: 0,
      log: () => {}
    })
    try {
      // Each vehicle's configuration reached one instance or the other: all of them are known.
      await expect
        .poll(async () => (await api.get('/api/v1/vehicles?ecu=ECU_001&version=1.0.0&limit=100', { token: admin })).json.vehicles.length, { timeout: 20_000 })
        .toBe(VEHICLES)
      // Published after the vehicles asked for updates at their start: the job brings it.
      const { sha256 } = (await api.post('/api/v1/artifacts', { token: admin, body: randomBytes(200_000) })).json
      const release = (
        await api.post('/api/v1/releases', {
          token: admin,
          json: { model: 'model_a', ecu: 'ECU_001', version: '2.0.0', hardware: [hardwareFor('model_a', 1)], artifactSha256: sha256 }
        })
      ).json
      expect((await api.post(`/api/v1/releases/${release.id}/publish`, { token: admin })).status).toBe(200)
      const job = (
        await api.post('/api/v1/jobs', {
          token: admin,
          json: { name: 'failover', releaseId: release.id, selection: {}, rollout: { waves: [{ size: { percent: 100 } }], maxInFlight: 2 } }
        })
      ).json
      const succeeded = async () => ((await api.get(`/api/v1/jobs/${job.id}`, { token: admin })).json.counts.succeeded ?? 0) as number
      await expect.poll(succeeded, { timeout: 30_000, interval: 100 }).toBeGreaterThanOrEqual(4)

      const leader = (await deployment.leader())!
      const survivor = deployment.instances.find((i) => i !== leader)!
      expect(leader).toBeDefined()
      const before = await succeeded()
      const killedAt = Date.now()
      await leader.kill()

      // The other instance holds the lease within its time (5 s) and moves the job on.
      await expect.poll(async () => (await deployment.leader())?.pid, { timeout: 15_000 }).toBe(survivor.pid)
      await expect.poll(succeeded, { timeout: 30_000, interval: 100 }).toBeGreaterThan(before)
      expect(Date.now() - killedAt).toBeLessThan(15_000)

      await expect.poll(async () => (await api.get(`/api/v1/jobs/${job.id}`, { token: admin })).json.state, { timeout: 60_000, interval: 250 }).toBe('completed')
      const view = (await api.get(`/api/v1/jobs/${job.id}`, { token: admin })).json
      expect(view.counts).toEqual({ succeeded: VEHICLES })
      for (const v of fleet.vehicles) {
        expect(v.versions().ECU_001).toBe('2.0.0')
        // Installed once, whatever the vehicle was told twice.
        expect(v.outcomes).toEqual([{ ecu: 'ECU_001', version: '2.0.0', ok: true }])
      }
      // The audit log has every vehicle's download, on whichever instance it landed.
      const [downloads] = await deployment.query<{ n: string }>("SELECT COUNT(DISTINCT actor) AS n FROM audit WHERE action = 'artifact.download' AND object = $1", [release.id])
      expect(Number(downloads!.n)).toBe(VEHICLES)
    } finally {
      await fleet.stop()
    }
  })
})
