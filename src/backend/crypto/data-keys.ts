import { wrapDataKey } from '../../crypto/data-key'
import { vehicleDataKeyContext, type WrappedDataKey } from '../../shared/data-key'
import type { Db } from '../db/db'
import { conflict } from '../http/errors'
import type { Keyring } from './keyring'
import type { UnkeyedOffer } from '../catalog/catalog'
import type { OfferedUpdate } from '../../shared/fleet/device'

/**
 * A release's data key for one vehicle, wrapped to the X-Wing key the vehicle made and registered:
 * what rides in every offer instead of a key. The image is sealed once per release; each vehicle
 * it is offered to gets a fresh wrapper, so publishing re-encrypts nothing.
 */
export function createDataKeys(db: Db, keys: Keyring) {
  async function forVehicle(vin: string, releaseId: string): Promise<WrappedDataKey> {
    const row = await db.get<{ kem_public_key: string | null }>('SELECT kem_public_key FROM vehicles WHERE vin = ?', [vin])
    if (!row?.kem_public_key) {
      throw conflict(`vehicle ${vin} has no key to wrap a data key to (it was registered before keys were wrapped per vehicle); register it again`)
    }
    return wrapDataKey(await keys.dataKey(releaseId), Buffer.from(row.kem_public_key, 'base64'), vehicleDataKeyContext(vin, releaseId))
  }
  return {
    forVehicle,
    /** The offer as this vehicle gets it: with the data key wrapped for it alone. */
    keyed: async (vin: string, offer: UnkeyedOffer): Promise<OfferedUpdate> => ({ ...offer, dataKey: await forVehicle(vin, offer.releaseId) })
  }
}
export type DataKeys = ReturnType<typeof createDataKeys>
