import { z } from 'zod'

export const AuditOutcome = z.enum(['ok', 'denied', 'failed'])
export type AuditOutcome = z.infer<typeof AuditOutcome>

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

/** What narrows the log; every filter given must hold. */
export const AuditFilters = z.object({
  q: z.string().trim().max(200).optional().describe('Text anywhere in actor, action, object or detail (case-insensitive for ASCII letters)'),
  actor: z.string().max(200).optional().describe('Exactly this actor'),
  action: z.string().max(100).optional().describe('Exactly this action'),
  outcome: AuditOutcome.optional(),
  since: z.iso.datetime().optional().describe('Entries at or after this time'),
  until: z.iso.datetime().optional().describe('Entries before this time')
})
export type AuditFilters = z.infer<typeof AuditFilters>

export const AuditQuery = AuditFilters.extend({
  cursor: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100)
})
export type AuditQuery = z.infer<typeof AuditQuery>

export const AuditPage = z.object({ entries: z.array(AuditEntry), nextCursor: z.number().int().nullable() })
export type AuditPage = z.infer<typeof AuditPage>

/** The distinct action names the log holds, for a filter to offer. */
export const AuditActions = z.object({ actions: z.array(z.string()) })
export type AuditActions = z.infer<typeof AuditActions>
