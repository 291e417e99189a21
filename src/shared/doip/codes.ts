import { hexByte } from '../uds/bytes'

/** Named codes with a description for people, and what the standard says about the unnamed ones. */
export interface CodeInfo {
  code: number
  name: string
  description: string
}

type CodeEntry = readonly [code: number, name: string, description: string]

/** A lookup by code; `unnamed` labels codes the table does not list (reserved or OEM-specific ranges). */
export function codeLookup(entries: readonly CodeEntry[], unnamed: (code: number) => string): (code: number) => CodeInfo {
  const byCode = new Map(entries.map(([code, name, description]) => [code, { code, name, description }]))
  return (code) => byCode.get(code) ?? { code, name: unnamed(code), description: `${unnamed(code)} (${hexByte(code)})` }
}

/** `{ name: code }` for use in code, e.g. ROUTING_ACTIVATION_CODE.success. */
export function codesByName<const T extends readonly CodeEntry[]>(entries: T): { readonly [E in T[number] as E[1]]: E[0] } {
  return Object.fromEntries(entries.map(([code, name]) => [name, code])) as { readonly [E in T[number] as E[1]]: E[0] }
}
