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
      'internal'
    ]),
    message: z.string()
  })
})
export type ApiError = z.infer<typeof ApiError>
export type ApiErrorCode = ApiError['error']['code']
