import { randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import { startBackend } from '../../src/backend/server'
import { hardwareFor } from '../../src/vehicle/fleet-spec'
import { xwingKeyPair } from '../../src/crypto/xwing'
import { certificateRequest } from '../../src/crypto/x509'
import type { DeviceIdentity } from '../../src/vehicle/identity'

export const benchVin = (i: number) => `BNC${String(i).padStart(14, '0')}`

/**
 * A registered fleet written straight into a backend's database (far faster than registering
 * 100,000 vehicles over the API), with device certificates for the first `clients` (enrolled as
 * vehicles do it: CSR and one-time credential) and three releases.
 */
export async function seedFleet(dataDir: string, vehicles: number, ecus: number, clients = 0, models: readonly string[] = ['model_a', 'model_b']) {
  const backend = await startBackend({ dataDir, log: () => {} })
  const { db, tokens, catalog, certificates } = backend.services
  const now = Date.now()
  // One X-Wing key for the whole fleet: every offer wraps the release's data key to it, as to each vehicle's own.
  const kemPublicKey = xwingKeyPair().publicKey.toString('base64')
  await db.transaction(async (tx) => {
    for (let i = 0; i < vehicles; i++) {
      const model = models[i % models.length]!
      const seen = new Date(now - (i % 3600) * 1000).toISOString()
      await tx.run('INSERT INTO vehicles (vin, model, region, tags, online, last_seen, kem_public_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
        benchVin(i),
        model,
        ['eu', 'jp', 'us'][i % 3],
        i % 20 ? '[]' : '["pilot"]',
        i % 5 ? 1 : 0,
        seen,
        kemPublicKey,
        seen
      ])
      for (let e = 1; e <= ecus; e++) {
        await tx.run('INSERT INTO ecus (vin, ecu_id, logical_address, zonal_gateway, hardware, software_version) VALUES (?, ?, ?, ?, ?, ?)', [
          benchVin(i),
          `ECU_${String(e).padStart(3, '0')}`,
          0x1000 + e,
          `ZGW_0${(e % 4) + 1}`,
          hardwareFor(model, e),
          i % 7 ? '1.0.0' : '1.1.0'
        ])
      }
    }
  })
  const deviceIdentities: DeviceIdentity[] = []
  for (let i = 0; i < clients; i++) {
    const vin = benchVin(i)
    const { credential } = await tokens.createEnrolment(vin, 60_000)
    const { keyPem, csrPem } = await certificateRequest(vin, 'ECDSA-P256')
    deviceIdentities.push({ keyPem, certPem: (await certificates.enrol({ vin, credential, csrPem })).certificatePem })
  }
  for (const [ecu, version] of [
    ['ECU_001', '1.1.0'],
    ['ECU_002', '1.0.1'],
    ['ECU_007', '2.0.0']
  ] as const) {
    const artifact = await catalog.upload(Readable.from([randomBytes(4096)]), 'bench')
    const rel = await catalog.create(
      { model: 'model_a', ecu, version, hardware: [hardwareFor('model_a', Number(ecu.slice(4)))], notes: '', artifactSha256: artifact.sha256 },
      'bench'
    )
    await catalog.publish(rel.id, 'bench')
  }
  const adminToken = backend.firstAdminToken!
  await backend.close()
  return { deviceIdentities, adminToken }
}
