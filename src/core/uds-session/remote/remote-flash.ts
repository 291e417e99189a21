import { FlashAbortedError, FlashError, type FlashProgress, FLASH_STEPS, type FlashStep } from '../../../shared/uds-client'
import type { BackendClient } from '../../backend/backend-client'
import type { FlashOptions, FlashResult } from '../session'

/** Long polls of the backend's flash state; the backend answers sooner when the gateway reports. */
const WAIT_MS = 20_000

/**
 * Starts a remote flash and follows it: the gateway's reports come back by long poll and go to
 * onProgress as they would from a local flash. An abort asks the gateway to stop; the call ends
 * when it says it did.
 */
export async function runRemoteFlash(client: BackendClient, vin: string, target: number, releaseId: string, options: FlashOptions): Promise<FlashResult> {
  let view = await client.diag.startFlash({ vin }, { releaseId, targetAddress: target })
  const id = view.id
  const abort = () => void client.diag.abortFlash({ id }).catch(() => undefined)
  options.signal?.addEventListener('abort', abort, { once: true })
  if (options.signal?.aborted) abort()
  // The backend has asked the gateway: the flash has started, with the gateway's verification.
  let last: FlashProgress | undefined = { step: 'verify', bytesSent: 0, bytesTotal: 0, blocksSent: 0, bytesPerSecond: 0, etaSeconds: null, elapsedMs: 0 }
  options.onProgress?.(last)
  try {
    for (;;) {
      for (const { progress } of view.events) {
        const { state: _state, detail: _detail, versionBefore: _before, versionAfter: _after, at: _at, ...rest } = progress
        last = rest
        options.onProgress?.(rest)
      }
      if (view.state !== 'requested' && view.state !== 'running') break
      view = await client.diag.flash({ id }, { after: view.lastSeq, waitMs: WAIT_MS })
    }
  } finally {
    options.signal?.removeEventListener('abort', abort)
  }
  const step: FlashStep = last && last.step !== 'verify' ? last.step : FLASH_STEPS[0]
  const why = view.detail ?? `the remote flash ${id} ${view.state}`
  if (view.state === 'aborted') throw new FlashAbortedError(step, `The flash of ${vin} was aborted: ${why}`)
  if (view.state !== 'succeeded' || !view.versionAfter) throw new FlashError(step, `The gateway of ${vin} could not flash ${releaseId}: ${why}`)
  return { versionBefore: view.versionBefore, versionAfter: view.versionAfter, bytes: last?.bytesTotal ?? 0, blocks: last?.blocksSent ?? 0, elapsedMs: last?.elapsedMs ?? 0 }
}
