import type { ApiErrorCode } from '../../shared/fleet/errors'

/** A handler throws this to answer with a status and a clear message. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string
  ) {
    super(message)
  }
}

export const notFound = (what: string) => new HttpError(404, 'not-found', `${what} not found`)
export const conflict = (message: string) => new HttpError(409, 'conflict', message)
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message)
export const badRequest = (message: string) => new HttpError(400, 'bad-request', message)
