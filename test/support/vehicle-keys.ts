import { xwingKeyPair } from '../../src/crypto/xwing'
import type { VehicleCredentials } from '../../src/vehicle/vehicle'
import { requestFor, type DeviceIdentity } from '../../src/vehicle/identity'
import type { apiClient } from './https-client'

/** A public key for a vehicle registered only for its token: nothing in the test opens what is wrapped to it. */
export const throwawayKemKey = () => xwingKeyPair().publicKey.toString('base64')

/**
 * Registers a vehicle as its gateway does: with an X-Wing key pair made here, the public half sent,
 * the private half kept in the credentials the simulated vehicle is given, with its one-time
 * enrolment credential.
 */
export async function registerVehicle(api: ReturnType<typeof apiClient>, token: string, body: Record<string, unknown>) {
  const kem = xwingKeyPair()
  const answer = await api.post('/api/v1/vehicles', { token, json: { ...body, kemPublicKey: kem.publicKey.toString('base64') } })
  const credentials: VehicleCredentials = { credential: answer.json?.credential, kemSeed: kem.seed.toString('base64') }
  return { answer, credentials }
}

/**
 * Enrols a registered vehicle as its gateway does: a key made here, a CSR of the device CA's
 * algorithm, the one-time credential. The identity then logs in over mTLS (apiClient's third argument).
 */
export async function enrolVehicle(api: ReturnType<typeof apiClient>, vin: string, credential: string): Promise<DeviceIdentity> {
  const ca = await api.get('/pki/device-ca.crt')
  const { keyPem, csrPem } = await requestFor(vin, ca.body)
  const answer = await api.post('/api/v1/device/enrol', { json: { vin, credential, csrPem } })
  if (answer.status !== 201) throw new Error(`enrolment of ${vin} answered ${answer.status}: ${answer.body.toString()}`)
  return { keyPem, certPem: answer.json.certificatePem }
}

/** Registers and enrols a vehicle: its mTLS identity, and its credentials as a simulated vehicle takes them. */
export async function enrolledVehicle(api: ReturnType<typeof apiClient>, token: string, body: Record<string, unknown> & { vin: string }) {
  const { answer, credentials } = await registerVehicle(api, token, body)
  if (answer.status !== 201) throw new Error(`registering ${body.vin} answered ${answer.status}: ${answer.body.toString()}`)
  const identity = await enrolVehicle(api, body.vin, credentials.credential)
  return { identity, credentials: { ...credentials, identity } }
}
