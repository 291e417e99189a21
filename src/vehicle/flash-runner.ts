import { FlashAbortedError, type FlashProgress, hexAddress, runFlashSequence, type UdsRequester } from '../shared/uds-client'
import type { OfferedUpdate } from '../shared/fleet/device'
import { type EcuReport, FlashRequest, type FlashProgressReport } from '../shared/protocol/messages'
import { demoXorRotateKey } from '../shared/uds'
import type { EcuNetwork } from './ecu/network'

type Start = Extract<FlashRequest, { action: 'start' }>

export interface FlashRunnerDeps {
  network(): EcuNetwork
  /** The ECU of this vehicle with that id, as its version report has it. */
  ecu(id: string): EcuReport | undefined
  /** Downloads the offer with the vehicle's credentials and verifies it with TUF (model, ECU, hardware, hashes); throws why not. */
  verifiedImage(offer: OfferedUpdate, ecu: EcuReport): Promise<Uint8Array>
  publish(report: FlashProgressReport): Promise<void>
  now?(): number
  log?(line: string): void
}

/** The gateway reaches its ECUs directly: the flash's round trips never leave the vehicle. */
const local = (network: EcuNetwork): UdsRequester => ({
  async request(target, bytes) {
    const server = network.server(target)
    if (!server) throw new Error(`no ECU at ${hexAddress(target)}`)
    return server.request(bytes)
  }
})

/**
 * The gateway's side of a remote flash: it takes a flashRequest, verifies the release with its
 * TUF client exactly as for an OTA update, runs the flash sequence against the ECU locally and
 * reports each step and the transfer's progress on flashProgress. An abort stops it at the next
 * block and leaves the ECU on its old software, ready for another flash.
 */
export function createFlashRunner(deps: FlashRunnerDeps) {
  const running = new Map<string, { controller: AbortController; target: number }>()
  const now = deps.now ?? Date.now

  async function run(request: Start, controller: AbortController) {
    const { correlationId, offer } = request
    const started = performance.now()
    const base = { correlationId, bytesSent: 0, bytesTotal: offer.size, blocksSent: 0, bytesPerSecond: 0, etaSeconds: null, elapsedMs: 0 }
    const send = (report: Pick<FlashProgressReport, 'state' | 'step'> & Partial<FlashProgressReport>) =>
      deps
        .publish({ ...base, ...report, elapsedMs: Math.round(performance.now() - started), at: new Date(now()).toISOString() })
        .catch((err: Error) => deps.log?.(`flash ${correlationId}: ${err.message}`))
    let last: FlashProgress | undefined
    try {
      const ecu = deps.ecu(request.ecu)
      if (!ecu) throw new Error(`this vehicle has no ${request.ecu}`)
      if (ecu.logicalAddress !== request.targetAddress) throw new Error(`${request.ecu} is at ${hexAddress(ecu.logicalAddress)}, not ${hexAddress(request.targetAddress)}`)
      await send({ state: 'running', step: 'verify', detail: `downloading ${offer.targetPath} and verifying it with TUF` })
      const image = await deps.verifiedImage(offer, ecu)
      if (controller.signal.aborted) throw new FlashAbortedError('prepare', 'the flash was aborted before it started')
      const outcome = await runFlashSequence(local(deps.network()), request.targetAddress, image, {
        version: offer.version,
        keyAlgorithm: demoXorRotateKey,
        securityLevel: request.securityLevel,
        signal: controller.signal,
        progressIntervalMs: 250,
        onProgress: (p) => {
          last = p
          void send({ state: 'running', ...p })
        }
      })
      await send({
        state: 'succeeded',
        step: 'readBack',
        bytesSent: outcome.bytes,
        bytesTotal: outcome.bytes,
        blocksSent: outcome.blocks,
        bytesPerSecond: last?.bytesPerSecond ?? 0,
        etaSeconds: 0,
        versionBefore: outcome.versionBefore,
        versionAfter: outcome.versionAfter
      })
    } catch (err) {
      const state = err instanceof FlashAbortedError ? 'aborted' : 'failed'
      deps.log?.(`flash ${correlationId} of ${request.ecu}: ${state}: ${(err as Error).message}`)
      await send({ ...(last ?? { step: 'verify' }), state, detail: (err as Error).message.slice(0, 500) })
    } finally {
      running.delete(correlationId)
    }
  }

  return {
    /** One flashRequest payload; a malformed one is logged and dropped. */
    async handle(payload: Buffer): Promise<void> {
      let parsed
      try {
        parsed = FlashRequest.safeParse(JSON.parse(payload.toString()))
      } catch {
        parsed = undefined
      }
      if (!parsed?.success) return deps.log?.('ignored a malformed flash request')
      const request = parsed.data
      if (request.action === 'abort') return void running.get(request.correlationId)?.controller.abort()
      const refuse = (detail: string) =>
        deps.publish({
          correlationId: request.correlationId,
          state: 'failed',
          step: 'verify',
          bytesSent: 0,
          bytesTotal: request.offer.size,
          blocksSent: 0,
          bytesPerSecond: 0,
          etaSeconds: null,
          elapsedMs: 0,
          detail,
          at: new Date(now()).toISOString()
        })
      if (Date.parse(request.expiresAt) < now()) return refuse(`the request expired at ${request.expiresAt} before it reached the vehicle`)
      if ([...running.values()].some((r) => r.target === request.targetAddress)) return refuse(`a flash of ${hexAddress(request.targetAddress)} is already running`)
      const controller = new AbortController()
      running.set(request.correlationId, { controller, target: request.targetAddress })
      await run(request, controller)
    },
    /** Flashes under way, for a clean shutdown. */
    abortAll: () => running.forEach((r) => r.controller.abort())
  }
}
