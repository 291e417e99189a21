import type { FlashProgress } from '../../shared/uds-client'
import type { BundleService } from '../bundles/bundle-service'
import { runBundle } from '../workshop/run-bundle'
import type { DiagSession, FlashResult } from './session'

/**
 * One ECU of a workshop run (src/core/workshop/run-bundle.ts) on a session the caller keeps open:
 * the vehicle checked by its gateway's VIN, the image as the bundle verifies it, the attempt
 * recorded in the bundle's results. Asked for explicitly, it flashes even the running version.
 */
export async function flashFromBundle(
  bundles: BundleService,
  session: DiagSession,
  options: { bundleId: string; vin: string; target: number; signal: AbortSignal; onProgress(p: FlashProgress): void }
): Promise<FlashResult> {
  let last: FlashProgress | undefined
  const borrowed: DiagSession = { ...session, close: async () => undefined }
  const run = await runBundle(
    {
      bundles,
      connect: async () => borrowed,
      onEvent: (event) => {
        if (event.type !== 'progress') return
        last = event.progress
        options.onProgress(event.progress)
      }
    },
    { bundleId: options.bundleId, vin: options.vin, ecus: [options.target], force: true, signal: options.signal }
  )
  const outcome = run.ecus[0]
  if (!outcome || outcome.state === 'skipped') throw new Error(`the flash of bundle ${options.bundleId} did not run: ${outcome?.reason ?? 'no ECU'}`)
  if (outcome.state === 'failed') throw outcome.error ?? new Error(outcome.result.detail ?? 'the flash failed')
  const { versionBefore, versionAfter } = outcome.result
  return { versionBefore, versionAfter: versionAfter ?? '', bytes: last?.bytesTotal ?? 0, blocks: last?.blocksSent ?? 0, elapsedMs: last?.elapsedMs ?? 0 }
}
