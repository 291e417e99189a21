import { hexByte } from './bytes'

/** Diagnostic trouble codes: the 3-byte DTC in its SAE J2012 letter form, and the status byte's bits. */

const LETTERS = ['P', 'C', 'B', 'U'] as const
const DTC_TEXT = /^([PCBU])([0-3])([0-9A-F]{3})(?:-([0-9A-F]{2}))?$/i

/**
 * 0x012345 → "P0123-45": the top two bits pick the system letter (powertrain, chassis, body,
 * network), the next two the first digit, then three hex digits, then the failure type byte.
 */
export function formatDtc(dtc: number): string {
  if (!Number.isInteger(dtc) || dtc < 0 || dtc > 0xffffff) throw new RangeError(`a DTC is 3 bytes, got ${dtc}`)
  const high = dtc >> 16
  const code = ((high & 0x3f) << 8) | ((dtc >> 8) & 0xff)
  return `${LETTERS[high >> 6]}${code.toString(16).toUpperCase().padStart(4, '0')}-${(dtc & 0xff).toString(16).toUpperCase().padStart(2, '0')}`
}

/** Inverse of formatDtc; a code without "-XX" has failure type 00. */
export function parseDtc(text: string): number {
  const match = DTC_TEXT.exec(text.trim())
  if (!match) throw new RangeError(`"${text}" is not a DTC like P0123-45`)
  const [, letter = 'P', digit = '0', rest = '000', failureType = '00'] = match
  const letterBits = LETTERS.indexOf(letter.toUpperCase() as (typeof LETTERS)[number])
  return ((letterBits << 22) | (Number(digit) << 20) | (parseInt(rest, 16) << 8) | parseInt(failureType, 16)) >>> 0
}

/** The status byte's bits, bit 0 first. */
export const DTC_STATUS_BITS = [
  'testFailed',
  'testFailedThisOperationCycle',
  'pendingDTC',
  'confirmedDTC',
  'testNotCompletedSinceLastClear',
  'testFailedSinceLastClear',
  'testNotCompletedThisOperationCycle',
  'warningIndicatorRequested'
] as const
export type DtcStatusBit = (typeof DTC_STATUS_BITS)[number]
export type DtcStatus = Record<DtcStatusBit, boolean>

/** Masks by name, e.g. for a 0x19 02 status mask: DTC_STATUS_MASK.confirmedDTC | DTC_STATUS_MASK.testFailed. */
export const DTC_STATUS_MASK = Object.fromEntries(DTC_STATUS_BITS.map((name, bit) => [name, 1 << bit])) as Record<DtcStatusBit, number>

export function decodeDtcStatus(status: number): DtcStatus {
  if (!Number.isInteger(status) || status < 0 || status > 0xff) throw new RangeError(`a DTC status is one byte, got ${status}`)
  return Object.fromEntries(DTC_STATUS_BITS.map((name, bit) => [name, (status & (1 << bit)) !== 0])) as DtcStatus
}

export function encodeDtcStatus(status: Partial<DtcStatus>): number {
  return DTC_STATUS_BITS.reduce((byte, name, bit) => (status[name] ? byte | (1 << bit) : byte), 0)
}

/** "P0123-45 (status 0x09: testFailed, confirmedDTC)", for logs and traces. */
export function describeDtc(dtc: number, status: number): string {
  const set = DTC_STATUS_BITS.filter((_, bit) => status & (1 << bit))
  return `${formatDtc(dtc)} (status ${hexByte(status)}${set.length ? `: ${set.join(', ')}` : ''})`
}
