import { z } from 'zod'
import { MAX_UINT_BYTES } from './bytes'
import { BUILTIN_DID_CATALOG, type DidCatalog, type DidDefinition } from './did-catalog'

/**
 * An OEM's DIDs come as a JSON file, e.g.
 * { "dids": [{ "id": "F1A0", "name": "Calibration id", "length": 16, "type": "ascii" }] }
 * Its entries override the built-in ones with the same id.
 */

export class DidCatalogError extends Error {
  override readonly name = 'DidCatalogError'
}

const LENGTH_ERROR = 'length must be a byte count (1 to 65535) or "variable"'

const DidEntry = z
  .strictObject({
    id: z.string().regex(/^(0x)?[0-9a-fA-F]{4}$/, 'id must be 4 hex digits, like "F1A0"'),
    name: z.string().trim().min(1, 'name must not be empty').max(200),
    length: z.union([z.number().int(LENGTH_ERROR).min(1, LENGTH_ERROR).max(0xffff, LENGTH_ERROR), z.literal('variable')], { error: LENGTH_ERROR }),
    type: z.enum(['ascii', 'hex', 'uint', 'bcd'], { error: 'type must be one of ascii, hex, uint, bcd' })
  })
  .refine((entry) => entry.type !== 'uint' || (typeof entry.length === 'number' && entry.length <= MAX_UINT_BYTES), {
    error: `a uint needs a fixed length of 1 to ${MAX_UINT_BYTES} bytes`,
    path: ['length']
  })

const CatalogFile = z.strictObject({ dids: z.array(z.unknown(), { error: 'dids must be an array of entries' }) }, { error: 'a DID catalog is an object { "dids": [...] }' })

/** How an entry is named in errors: by its position, and by its id and name when it has them. */
function entryLabel(index: number, raw: unknown): string {
  const { id, name } = (typeof raw === 'object' && raw !== null ? raw : {}) as { id?: unknown; name?: unknown }
  const label = [typeof id === 'string' ? id : '', typeof name === 'string' ? `"${name}"` : ''].filter(Boolean).join(' ')
  return `DID catalog entry ${index}${label ? ` (${label})` : ''}`
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]
  if (!issue) return 'invalid'
  return issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message
}

/** Validates a catalog file's content (parsed or as text) and returns its entries merged over `base`. */
export function loadDidCatalog(content: unknown, base: DidCatalog = BUILTIN_DID_CATALOG): DidCatalog {
  let json = content
  if (typeof content === 'string') {
    try {
      json = JSON.parse(content)
    } catch (error) {
      throw new DidCatalogError(`DID catalog is not JSON: ${(error as Error).message}`)
    }
  }
  const file = CatalogFile.safeParse(json)
  if (!file.success) throw new DidCatalogError(`DID catalog: ${firstIssue(file.error)}`)

  const merged = new Map(base)
  const seen = new Map<number, number>()
  file.data.dids.forEach((raw, index) => {
    const parsed = DidEntry.safeParse(raw)
    if (!parsed.success) throw new DidCatalogError(`${entryLabel(index, raw)}: ${firstIssue(parsed.error)}`)
    const id = parseInt(parsed.data.id.replace(/^0x/, ''), 16)
    const earlier = seen.get(id)
    if (earlier !== undefined) throw new DidCatalogError(`${entryLabel(index, raw)}: id already defined by entry ${earlier}`)
    seen.set(id, index)
    merged.set(id, { ...parsed.data, id } as DidDefinition)
  })
  return merged
}
