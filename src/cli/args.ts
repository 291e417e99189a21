import { DOIP_PORT } from '../core/uds-session/doip/connection'
import { fromHex } from '../shared/uds'
import { UsageError } from './exit-codes'

/** Values people type for addresses, DIDs and bytes, checked with a message naming the option. */

/** HOST[:PORT], [IPv6]:PORT; the port defaults to 13400 (ISO 13400-2's). */
export function parseDoipTarget(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(text.trim())
  const host = match?.[1] ?? match?.[2]
  if (!match || !host) throw new UsageError(`--doip takes HOST[:PORT], e.g. 192.168.0.10 or 127.0.0.1:13401; got "${text}"`)
  const port = match[3] === undefined ? DOIP_PORT : Number(match[3])
  if (port < 1 || port > 65_535) throw new UsageError(`--doip: port ${match[3]} is not 1-65535`)
  return { host, port }
}

/** A hex number of at most `digits` digits, with or without 0x: how addresses, DIDs and routine ids are written. */
export function parseHexNumber(text: string, digits: number, what: string): number {
  const match = /^(?:0x)?([0-9a-f]+)$/i.exec(text.trim())
  if (!match || match[1]!.length > digits) throw new UsageError(`${what} must be hex of at most ${digits} digits, got "${text}"`)
  return parseInt(match[1]!, 16)
}

/** A logical address such as 0x1001 (the 0x is optional: addresses are always hex). */
export function parseAddress(text: string, what = '--ecu'): number {
  const address = parseHexNumber(text, 4, what)
  if (address === 0) throw new UsageError(`${what}: 0x0000 is not a logical address`)
  return address
}

export const parseDid = (text: string) => parseHexNumber(text, 4, `DID "${text}"`)
export const parseByte = (text: string, what: string) => parseHexNumber(text, 2, what)

/** Bytes in hex, spaces allowed ("22F190", "22 F1 90", "0x22F190"). */
export function parseBytes(text: string, what: string): Uint8Array {
  try {
    return fromHex(text.replace(/^0x/i, ''))
  } catch {
    throw new UsageError(`${what} takes bytes in hex, e.g. 22F190; got "${text}"`)
  }
}

/** A whole number within bounds, for counts, hours and milliseconds. */
export function parseInteger(text: string, what: string, min: number, max: number): number {
  const n = Number(text)
  if (!/^\d+$/.test(text.trim()) || n < min || n > max) throw new UsageError(`${what} must be a whole number from ${min} to ${max}, got "${text}"`)
  return n
}

/** A word from a table of names, or a hex byte for anything the table does not name. */
export function parseNamedByte(text: string, names: Record<string, number>, what: string): number {
  const named = names[text.toLowerCase()]
  if (named !== undefined) return named
  if (/^(0x)?[0-9a-f]{1,2}$/i.test(text)) return parseByte(text, what)
  throw new UsageError(`${what}: "${text}" is none of ${Object.keys(names).join(', ')}, nor a hex byte`)
}
