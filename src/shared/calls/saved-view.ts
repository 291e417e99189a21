import { z } from 'zod'

export const ViewId = z.string().regex(/^view_[0-9a-f]{16}$/, 'not a saved view id')

/** A named set of filters and sort of one screen's table, kept per profile. */
export const savedView = <Q extends z.ZodType>(query: Q) => z.object({ id: ViewId, name: z.string(), query, createdAt: z.string() })

export const ViewName = z.string().trim().min(1, 'A view needs a name').max(80)
