import { z } from 'zod'

export const AuditOutcome = z.enum(['ok', 'denied', 'failed'])

export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  role: z.string(),
  action: z.string(),
  object: z.string(),
  outcome: AuditOutcome,
  detail: z.string()
})
export type AuditEntry = z.infer<typeof AuditEntry>

export const AuditQuery = z.object({
  actor: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  outcome: AuditOutcome.optional(),
  since: z.iso.datetime().optional(),
  cursor: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100)
})

export const AuditPage = z.object({ entries: z.array(AuditEntry), nextCursor: z.number().int().nullable() })
