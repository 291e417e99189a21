/**
 * Canonical JSON as TUF signs it (the OLPC dialect): keys sorted, no white space, integers only,
 * and only `"` and `\` escaped in strings. Signatures cover these bytes.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value)
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new TypeError(`canonical JSON has no floats: ${value}`)
    return JSON.stringify(value)
  }
  if (typeof value === 'string') return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${canonicalJson(k)}:${canonicalJson(v)}`)
      .join(',')}}`
  }
  throw new TypeError(`canonical JSON cannot encode ${typeof value}`)
}
