import { createWriteStream } from 'node:fs'
import { request } from 'node:https'
import { pipeline } from 'node:stream/promises'
import { OtaError, type ErrorCode } from '../../shared/errors'
import { ApiError } from '../../shared/fleet/errors'
import { describeError } from '../profiles/classify-failure'
import { authorizationHeader, tlsOptions, type Credentials } from '../profiles/credentials'

const jsonOf = (bytes: Buffer): unknown => {
  try {
    return JSON.parse(bytes.toString('utf8'))
  } catch {
    return undefined
  }
}

const CODE_BY_STATUS: Record<number, ErrorCode> = { 400: 'INVALID_INPUT', 401: 'AUTH_REJECTED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT' }

/**
 * A POST whose answer is a file (a bundle), streamed to disk: the backend client answers JSON
 * only, held in memory, and a bundle carries firmware. Refusals still arrive as the backend's
 * JSON error and become an OtaError with its message.
 */
export async function postForFile(credentials: Credentials, path: string, body: unknown, toFile: string, { idleMs = 60_000 } = {}) {
  const base = credentials.profile.backendUrl.endsWith('/') ? credentials.profile.backendUrl : `${credentials.profile.backendUrl}/`
  const url = new URL(path.replace(/^\//, ''), base)
  const json = Buffer.from(JSON.stringify(body))
  return new Promise<void>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        timeout: idleMs,
        headers: { ...authorizationHeader(credentials), 'content-type': 'application/json', accept: 'application/octet-stream' },
        ...tlsOptions(credentials)
      },
      (res) => {
        const status = res.statusCode ?? 0
        if (status < 400) {
          pipeline(res, createWriteStream(toFile, { mode: 0o600 })).then(
            () => resolve(),
            (err: unknown) => reject(new OtaError('BACKEND_UNREACHABLE', `The download from ${url.origin} broke off: ${describeError(err)}`))
          )
          return
        }
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const parsed = ApiError.safeParse(jsonOf(Buffer.concat(chunks)))
          reject(new OtaError(CODE_BY_STATUS[status] ?? 'BACKEND_ERROR', parsed.success ? parsed.data.error.message : `The backend answered HTTP ${status}`))
        })
      }
    )
    req.on('timeout', () => req.destroy(new Error(`no data for ${idleMs / 1000} s`)))
    req.on('error', (err) => reject(new OtaError('BACKEND_UNREACHABLE', `The backend at ${url.origin} could not be reached: ${describeError(err)}`)))
    req.end(json)
  })
}
