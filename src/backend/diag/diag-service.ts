import type { z } from 'zod'
import type { DiagRelayAnswer, DiagRelayRequest, RemoteFlashView } from '../../shared/fleet/diag-relay'
import type { VehicleDetail } from '../../shared/fleet/registry'
import type { TopicName } from '../../shared/protocol/topics'
import type { AuditLog } from '../audit'
import type { Catalog } from '../catalog/catalog'
import type { DataKeys } from '../crypto/data-keys'
import { conflict, HttpError } from '../http/errors'
import type { Registry } from '../registry/registry'
import { flashTarget } from './flash-target'
import { createDiagRelay } from './relay'
import { createRemoteFlashes, type FlashTimers } from './remote-flashes'

type Publish = (name: TopicName, vin: string, message: unknown) => Promise<unknown>

const hex = (address: number) => `0x${address.toString(16).toUpperCase().padStart(4, '0')}`

const offline = (vehicle: VehicleDetail) =>
  new HttpError(504, 'timeout', `Vehicle ${vehicle.vin} is offline${vehicle.lastSeen ? ` (last seen ${vehicle.lastSeen})` : ''}: nothing was sent to it.`)

/**
 * Diagnostics through the backend: UDS relayed to a vehicle's gateway, and remote flashes the
 * gateway runs itself. Both need the vehicle online; both are audited by the routes.
 */
export function createDiagService(deps: {
  registry: Registry
  catalog: Catalog
  dataKeys: Pick<DataKeys, 'keyed'>
  audit: AuditLog
  publish: Publish
  log(line: string): void
  flashTimers?: Partial<FlashTimers>
}) {
  const relay = createDiagRelay(deps.publish)
  const flashes = createRemoteFlashes({
    publish: deps.publish,
    log: deps.log,
    timers: deps.flashTimers,
    // The vehicle's update history shows the flash; its version history shows the new version when it reports.
    async onEnd(flash: RemoteFlashView) {
      const failed = flash.state !== 'succeeded'
      await deps.registry.recordProgress(flash.vin, {
        releaseId: flash.releaseId,
        ecu: flash.ecu,
        version: flash.version,
        step: flash.state === 'succeeded' ? 'done' : flash.state === 'aborted' ? 'canceled' : 'failed',
        percent: 100,
        cause: flash.state === 'failed' ? 'install-error' : undefined,
        detail: flash.detail ?? undefined,
        at: flash.finishedAt ?? new Date().toISOString()
      })
      await deps.audit.record({
        actor: `vehicle:${flash.vin}`,
        role: 'device',
        action: 'diag.flash.end',
        object: `${flash.vin}/${flash.ecu}`,
        outcome: failed ? 'failed' : 'ok',
        detail: `${flash.id} for ${flash.requestedBy}: ${flash.state}${flash.detail ? `: ${flash.detail}` : ''}`
      })
    }
  })

  const onlineVehicle = async (vin: string) => {
    const vehicle = (await deps.registry.detail(vin)) as VehicleDetail
    if (!vehicle.online) throw offline(vehicle)
    return vehicle
  }

  return {
    async request(vin: string, body: z.output<typeof DiagRelayRequest>): Promise<DiagRelayAnswer> {
      await onlineVehicle(vin)
      const answer = await relay.request(vin, body)
      if (answer === 'timeout')
        throw new HttpError(
          504,
          'timeout',
          `Vehicle ${vin} did not answer the request to ${hex(body.targetAddress)} within ${(body.timeoutMs + 2000) / 1000} s: it may have gone offline.`
        )
      return answer
    },

    async startFlash(vin: string, body: { releaseId: string; targetAddress?: number }, requestedBy: string): Promise<RemoteFlashView> {
      const vehicle = await onlineVehicle(vin)
      const release = await deps.catalog.get(body.releaseId)
      const target = flashTarget(vehicle, release, body.targetAddress)
      if (typeof target === 'string') throw conflict(target)
      if (!release.published) throw conflict(`Release ${release.id} is not published, so vehicle ${vin} cannot download it.`)
      const offer = await deps.dataKeys.keyed(vin, (await deps.catalog.publishedBlob(release.id, vehicle.model)).offer)
      return flashes.start({ vin, ecu: target.ecu, targetAddress: target.targetAddress, releaseId: release.id, version: release.version, requestedBy, offer })
    },

    view: flashes.view,
    abort: flashes.abort,
    onResponse: relay.onResponse,
    onFlashProgress: flashes.onProgress,
    close: flashes.close
  }
}
export type DiagService = ReturnType<typeof createDiagService>
