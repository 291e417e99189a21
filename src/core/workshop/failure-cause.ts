import { FlashAbortedError, FlashError } from '../../shared/uds-client'
import { OtaError } from '../../shared/errors'
import type { FailureCause } from '../../shared/protocol/messages'
import { DiagError } from '../uds-session/errors'

/** The bundle's image could not be had for this ECU: `cause` is the bundle service's refusal. */
export class ImageUnavailableError extends Error {
  override readonly name = 'ImageUnavailableError'
  constructor(
    message: string,
    readonly expired: boolean,
    options: { cause: unknown }
  ) {
    super(message, options)
  }
}

/** Connection losses and timers: the image did not get through. */
const interrupted = (err: DiagError) => err.failure.kind !== 'refused'

/**
 * The failure cause a workshop result reports to the job, from what went wrong: the same causes
 * an online vehicle reports, so the job's failure breakdown reads alike for both.
 */
export function failureCauseOf(err: unknown): FailureCause {
  if (err instanceof ImageUnavailableError) {
    if (err.expired) return 'metadata-expired'
    const cause = err.cause
    // The image's hardware list does not name this ECU's hardware: nothing was flashed, as with any install refusal.
    if (cause instanceof OtaError && cause.code === 'CONFLICT') return 'install-error'
    return cause instanceof OtaError && /decrypt/.test(cause.message) ? 'hash-mismatch' : 'signature-invalid'
  }
  if (err instanceof FlashAbortedError) return 'download-interrupted'
  for (let e: unknown = err, depth = 0; e !== undefined && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof DiagError) return interrupted(e) ? 'download-interrupted' : 'install-error'
  }
  // The ECU computed another CRC-32 of what arrived than the image has.
  if (err instanceof FlashError && err.step === 'exit' && err.cause === undefined) return 'hash-mismatch'
  return 'install-error'
}
