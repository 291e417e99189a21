import { FlashAbortedError, FlashError, NegativeResponseError, UnexpectedResponseError } from '../../shared/uds-client'
import { type ErrorCode, OtaError } from '../../shared/errors'
import { DiagError, type DiagFailure } from './errors'

const CODE_BY_KIND: Record<DiagFailure['kind'], ErrorCode> = {
  connectionRefused: 'VEHICLE_UNREACHABLE',
  connectionClosed: 'VEHICLE_UNREACHABLE',
  routingDenied: 'DIAG_REFUSED',
  doipNack: 'DIAG_REFUSED',
  genericNack: 'DIAG_REFUSED',
  timeout: 'TIMEOUT',
  relay: 'DIAG_REFUSED',
  refused: 'DIAG_REFUSED',
  aborted: 'CANCELED'
}

/** A diagnostic failure as the contract reports it: a code a screen can act on, and the words of the typed error. */
export function toOtaError(err: unknown): unknown {
  if (err instanceof OtaError) return err
  if (err instanceof DiagError) return new OtaError(CODE_BY_KIND[err.failure.kind], err.message)
  if (err instanceof NegativeResponseError || err instanceof UnexpectedResponseError) return new OtaError('DIAG_REFUSED', err.message)
  if (err instanceof FlashAbortedError) return new OtaError('CANCELED', err.message)
  if (err instanceof FlashError) {
    const cause = toOtaError(err.cause)
    return new OtaError(cause instanceof OtaError ? cause.code : 'DIAG_REFUSED', err.message)
  }
  return err
}
