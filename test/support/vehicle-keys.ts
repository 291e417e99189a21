import { xwingKeyPair } from '../../src/crypto/xwing'
import type { VehicleCredentials } from '../../src/vehicle/vehicle'
import type { apiClient } from './https-client'

/** A public key for a vehicle registered only for its token: nothing in the test opens what is wrapped to it. */
export const throwawayKemKey = () => xwingKeyPair().publicKey.toString('base64')

/**
 * Registers a vehicle as its gateway does: with an X-Wing key pair made here, the public half sent,
 * the private half kept in the credentials the simulated vehicle is given.
 */
export async function registerVehicle(api: ReturnType<typeof apiClient>, token: string, body: Record<string, unknown>) {
  const kem = xwingKeyPair()
  const answer = await api.post('/api/v1/vehicles', { token, json: { ...body, kemPublicKey: kem.publicKey.toString('base64') } })
  const credentials: VehicleCredentials = { token: answer.json?.token, kemSeed: kem.seed.toString('base64') }
  return { answer, credentials }
}
