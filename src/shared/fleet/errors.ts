import { z } from 'zod'

/** The body of every error answer of the fleet backend's HTTPS API. */
export const ApiError = z.object({
  error: z.object({
    code: z.enum([
      'bad-request',
      'unauthorized',
      'forbidden',
      'not-found',
      'conflict',
      'too-large',
      'range-not-satisfiable',
      /** 504: a vehicle did not answer a relayed diagnostic request in time, or is offline. */
      'timeout',
      /** 503: this instance cannot serve now (GET /ready says which part does not answer). */
      'not-ready',
      'internal'
    ]),
    message: z.string()
  })
})
export type ApiError = z.infer<typeof ApiError>
export type ApiErrorCode = ApiError['error']['code']
