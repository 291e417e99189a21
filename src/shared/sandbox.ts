import { z } from 'zod'

/** The built-in "Local sandbox": a backend and simulated vehicles the console runs on loopback. */
export const SANDBOX_PROFILE_ID = 'sandbox'

export const SandboxStatus = z.object({
  state: z.enum(['off', 'starting', 'running', 'failed']),
  backendUrl: z.string().nullable(),
  vehicles: z.number().int(),
  online: z.number().int(),
  message: z.string().nullable()
})
export type SandboxStatus = z.infer<typeof SandboxStatus>
