import { DiagError } from '../core/uds-session/errors'
import { ImageUnavailableError } from '../core/workshop/failure-cause'
import { FlashAbortedError, NegativeResponseError } from '../shared/uds-client'
import { OtaError } from '../shared/errors'
import { hexByte } from '../shared/uds/bytes'

/** otactl's exit codes, so a script can tell what went wrong without reading the message. */
export const EXIT = {
  ok: 0,
  /** A command, option or value otactl cannot use; an unknown bundle, vehicle or ECU. */
  usage: 1,
  /** The DoIP entity or the backend could not be reached, closed the connection, or refused routing. */
  connection: 2,
  /** A DoIP or UDS timer ran out (the message names which), or the backend did not answer in time. */
  timeout: 3,
  /** The ECU answered 7F SID NRC. */
  negativeResponse: 4,
  /** A bundle or image failed its checks, or is not for this vehicle, ECU or hardware. */
  refused: 5,
  /** Anything else: a flash step that failed its own check, the keychain, the backend's refusal. */
  other: 6,
  /** Ctrl-C: the flash was aborted and the ECU sent back to its default session. */
  interrupted: 130
} as const
export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** A mistake in the command line, shown with the usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** A bundle or image that did not pass its checks; the message is the failed check's reason. */
export class VerificationRefused extends Error {
  override readonly name = 'VerificationRefused'
}

export interface Failure {
  exit: ExitCode
  kind: 'usage' | 'connection' | 'timeout' | 'negativeResponse' | 'refused' | 'interrupted' | 'other'
  message: string
  /** With a negative response: the ECU's code and its ISO name. */
  nrc?: { code: string; name: string }
  /** With a timeout: the timer that ran out. */
  timer?: string
}

const OTA_EXIT: Partial<Record<string, Failure['kind']>> = {
  INVALID_INPUT: 'usage',
  NOT_FOUND: 'usage',
  NO_CONNECTION: 'connection',
  BACKEND_UNREACHABLE: 'connection',
  VEHICLE_UNREACHABLE: 'connection',
  TIMEOUT: 'timeout'
}
const KIND_EXIT: Record<Failure['kind'], ExitCode> = {
  usage: EXIT.usage,
  connection: EXIT.connection,
  timeout: EXIT.timeout,
  negativeResponse: EXIT.negativeResponse,
  refused: EXIT.refused,
  interrupted: EXIT.interrupted,
  other: EXIT.other
}

/** The error and the errors it wraps (a flash step wraps what the ECU or the transport said). */
function* chain(err: unknown): Generator<unknown> {
  for (let e = err, depth = 0; e !== undefined && depth < 8; e = (e as { cause?: unknown }).cause, depth++) yield e
}

/** The kind of the innermost error that says what happened. */
function kindOf(err: unknown): Pick<Failure, 'kind' | 'nrc' | 'timer'> {
  for (const e of chain(err)) {
    if (e instanceof UsageError) return { kind: 'usage' }
    if (e instanceof VerificationRefused || e instanceof ImageUnavailableError) return { kind: 'refused' }
    if (e instanceof FlashAbortedError) return { kind: 'interrupted' }
    if (e instanceof NegativeResponseError) return { kind: 'negativeResponse', nrc: { code: hexByte(e.response.nrc), name: e.nrcName } }
    if (e instanceof DiagError) {
      const { failure } = e
      if (failure.kind === 'timeout') return { kind: 'timeout', timer: failure.timer }
      if (failure.kind === 'refused') return { kind: 'refused' }
      if (failure.kind === 'aborted') return { kind: 'interrupted' }
      return { kind: 'connection' }
    }
    if (e instanceof OtaError) return { kind: OTA_EXIT[e.code] ?? 'other' }
  }
  return { kind: 'other' }
}

/** What to tell the user and which code to exit with. */
export function failureOf(err: unknown): Failure {
  const kind = kindOf(err)
  return { exit: KIND_EXIT[kind.kind], ...kind, message: err instanceof Error ? err.message : String(err) }
}
