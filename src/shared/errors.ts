import { z } from 'zod'

/** Every error code a call can answer with, in one registry. */
export const ErrorCode = z.enum([
  'INVALID_INPUT',
  'UNKNOWN_CHANNEL',
  'UNTRUSTED_SENDER',
  'NOT_FOUND',
  'KEYCHAIN_UNAVAILABLE',
  'STORE_UNAVAILABLE',
  'DISCONNECTED',
  /** No connection profile is active, so there is no backend to ask. */
  'NO_CONNECTION',
  'BACKEND_UNREACHABLE',
  'AUTH_REJECTED',
  /** The backend refused: the user's role may not do this. */
  'FORBIDDEN',
  'CONFLICT',
  'BACKEND_ERROR',
  'CANCELED',
  /** Diagnostics: a DoIP entity or a remote vehicle could not be reached (refused, closed, offline). */
  'VEHICLE_UNREACHABLE',
  /** Diagnostics: the entity, the gateway or the ECU refused (routing activation, NACK, NRC, image check). */
  'DIAG_REFUSED',
  /** A diagnostic timer ran out; the message names which. */
  'TIMEOUT',
  'INTERNAL'
])
export type ErrorCode = z.infer<typeof ErrorCode>

export const CallError = z.object({
  code: ErrorCode,
  message: z.string()
})
export type CallError = z.infer<typeof CallError>

/** Thrown by core services; the dispatcher turns it into a CallError for the caller. */
export class OtaError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'OtaError'
  }
}

/**
 * Calls answer with a Result rather than throwing: an envelope survives contextBridge and
 * JSON intact, where an Error loses everything but its message.
 */
export type Result<T> = { ok: true; value: T } | { ok: false; error: CallError }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const fail = (code: ErrorCode, message: string): Result<never> => ({
  ok: false,
  error: { code, message }
})

/** An error's code and message in one line, short enough for a log or a toast. */
export const describeError = (err: unknown): string => {
  const e = err as { code?: unknown; message?: unknown }
  const message = typeof e?.message === 'string' ? e.message : String(err)
  return (typeof e?.code === 'string' && !message.includes(e.code) ? `${e.code}: ${message}` : message).slice(0, 300)
}

/** What a schema refused, in one line: up to five issues, each with the field it concerns. */
export const describeIssues = (error: z.ZodError) =>
  error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ')
