import { z } from 'zod'

/** The built-in "Local sandbox": a backend and simulated vehicles the console runs on loopback. */
export const SANDBOX_PROFILE_ID = 'sandbox'

export const SandboxStatus = z.object({
  state: z.enum(['off', 'starting', 'running', 'failed']),
  backendUrl: z.string().nullable(),
  vehicles: z.number().int(),
  online: z.number().int(),
  /** The share of updates the simulated vehicles fail on purpose, so thresholds can be seen at work. */
  failureRate: z.number().min(0).max(0.5),
  /** Where the first vehicle answers DoIP on loopback, for the Workshop to connect to; null unless running. */
  doip: z.object({ host: z.string(), port: z.number().int().min(1).max(65_535), vin: z.string() }).nullable(),
  message: z.string().nullable()
})
export type SandboxStatus = z.infer<typeof SandboxStatus>

export const SandboxFailureRate = z.object({ percent: z.number().min(0, 'at least 0%').max(50, 'at most 50%') }).strict()
export const DEFAULT_SANDBOX_FAILURE_RATE = 0.05
