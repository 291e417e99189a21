import { fromHex, hexByte, hexWord, readUint, toHex, uintBytes } from './bytes'
import { UdsDecodeError } from './errors'

/**
 * The DID catalog: what each data identifier holds and how long it is. 0x22 responses carry no
 * lengths, so splitting one that answers several DIDs needs this table.
 */

export type DidValueType = 'ascii' | 'hex' | 'uint' | 'bcd'
export type DidValue = string | number

/** A uint has a fixed width; text and bytes may be 'variable', which a response can only hold as its last DID. */
export type DidDefinition = { id: number; name: string } & ({ type: 'uint'; length: number } | { type: Exclude<DidValueType, 'uint'>; length: number | 'variable' })

export type DidCatalog = ReadonlyMap<number, DidDefinition>

/** Identifiers of the built-in catalog by name. */
export const DID = {
  bootSoftwareIdentification: 0xf180,
  applicationSoftwareIdentification: 0xf181,
  applicationDataIdentification: 0xf182,
  bootSoftwareFingerprint: 0xf183,
  applicationSoftwareFingerprint: 0xf184,
  applicationDataFingerprint: 0xf185,
  activeDiagnosticSession: 0xf186,
  sparePartNumber: 0xf187,
  ecuSoftwareNumber: 0xf188,
  ecuSoftwareVersion: 0xf189,
  systemSupplierIdentifier: 0xf18a,
  ecuManufacturingDate: 0xf18b,
  ecuSerialNumber: 0xf18c,
  vin: 0xf190,
  ecuHardwareNumber: 0xf191,
  supplierEcuHardwareNumber: 0xf192,
  supplierEcuHardwareVersion: 0xf193,
  supplierEcuSoftwareNumber: 0xf194,
  supplierEcuSoftwareVersion: 0xf195,
  systemName: 0xf197,
  repairShopCodeOrTesterSerialNumber: 0xf198,
  programmingDate: 0xf199,
  /** Not ISO: the fingerprint OEMs commonly write before flashing. */
  fingerprint: 0xf15a
} as const

const textual = (id: number, name: string, type: 'ascii' | 'hex' | 'bcd', length: number | 'variable' = 'variable'): DidDefinition => ({ id, name, type, length })

/** ISO 14229-1 Annex C identifiers. ISO fixes no lengths but the VIN's and the session's; an OEM's JSON catalog adds them. */
const BUILTIN: DidDefinition[] = [
  textual(DID.bootSoftwareIdentification, 'Boot software identification', 'hex'),
  textual(DID.applicationSoftwareIdentification, 'Application software identification', 'hex'),
  textual(DID.applicationDataIdentification, 'Application data identification', 'hex'),
  textual(DID.bootSoftwareFingerprint, 'Boot software fingerprint', 'hex'),
  textual(DID.applicationSoftwareFingerprint, 'Application software fingerprint', 'hex'),
  textual(DID.applicationDataFingerprint, 'Application data fingerprint', 'hex'),
  { id: DID.activeDiagnosticSession, name: 'Active diagnostic session', type: 'uint', length: 1 },
  textual(DID.sparePartNumber, 'Spare part number', 'ascii'),
  textual(DID.ecuSoftwareNumber, 'ECU software number', 'ascii'),
  textual(DID.ecuSoftwareVersion, 'ECU software version', 'ascii'),
  textual(DID.systemSupplierIdentifier, 'System supplier identifier', 'ascii'),
  textual(DID.ecuManufacturingDate, 'ECU manufacturing date', 'bcd'),
  textual(DID.ecuSerialNumber, 'ECU serial number', 'ascii'),
  textual(DID.vin, 'VIN', 'ascii', 17),
  textual(DID.ecuHardwareNumber, 'ECU hardware number', 'ascii'),
  textual(DID.supplierEcuHardwareNumber, 'System supplier ECU hardware number', 'ascii'),
  textual(DID.supplierEcuHardwareVersion, 'System supplier ECU hardware version', 'ascii'),
  textual(DID.supplierEcuSoftwareNumber, 'System supplier ECU software number', 'ascii'),
  textual(DID.supplierEcuSoftwareVersion, 'System supplier ECU software version', 'ascii'),
  textual(DID.systemName, 'System name or engine type', 'ascii'),
  textual(DID.repairShopCodeOrTesterSerialNumber, 'Repair shop code or tester serial number', 'ascii'),
  textual(DID.programmingDate, 'Programming date', 'bcd'),
  textual(DID.fingerprint, 'Fingerprint (OEM-typical)', 'hex')
]

export const BUILTIN_DID_CATALOG: DidCatalog = new Map(BUILTIN.map((definition) => [definition.id, definition]))

/** Fixed length of a DID, or undefined when the catalog does not know it or it is variable. */
export function fixedDidLength(catalog: DidCatalog, did: number): number | undefined {
  const length = catalog.get(did)?.length
  return typeof length === 'number' ? length : undefined
}

/** Fixed-length text fields come padded with spaces, NULs, or 0xFF from erased flash; the display value drops them. */
const PADDING = new Set([0x00, 0x20, 0xff])

function withoutPadding(data: Uint8Array): Uint8Array {
  let end = data.length
  while (end > 0 && PADDING.has(data[end - 1] as number)) end--
  return data.subarray(0, end)
}

/** Bytes of a DID to the value a person reads: text for ascii/hex/bcd, a number for uint. */
export function decodeDidValue(definition: DidDefinition, data: Uint8Array): DidValue {
  const where = `DID ${hexWord(definition.id)} (${definition.name})`
  if (typeof definition.length === 'number' && data.length !== definition.length) {
    throw new UdsDecodeError(`${where}: needs ${definition.length} bytes, got ${data.length}`)
  }
  switch (definition.type) {
    case 'ascii':
      return Array.from(withoutPadding(data), (byte) => String.fromCharCode(byte)).join('')
    case 'hex':
      return toHex(data)
    case 'uint':
      return readUint(data)
    case 'bcd': {
      const bad = data.find((byte) => byte >> 4 > 9 || (byte & 0x0f) > 9)
      if (bad !== undefined) throw new UdsDecodeError(`${where}: byte ${hexByte(bad)} is not BCD`)
      return toHex(data)
    }
  }
}

/** A display value back to bytes, padding fixed-length text with spaces and BCD with leading zeros. */
export function encodeDidValue(definition: DidDefinition, value: DidValue): Uint8Array {
  const where = `DID ${hexWord(definition.id)} (${definition.name})`
  const fixed = typeof definition.length === 'number' ? definition.length : undefined
  const text = String(value)
  switch (definition.type) {
    case 'ascii': {
      if (!/^[\x20-\x7e]*$/.test(text)) throw new RangeError(`${where}: "${text}" is not printable ASCII`)
      if (fixed !== undefined && text.length > fixed) throw new RangeError(`${where}: takes ${fixed} characters, got ${text.length}`)
      return Uint8Array.from(fixed === undefined ? text : text.padEnd(fixed, ' '), (char) => char.charCodeAt(0))
    }
    case 'hex': {
      const bytes = fromHex(text)
      if (fixed !== undefined && bytes.length !== fixed) throw new RangeError(`${where}: takes ${fixed} bytes, got ${bytes.length}`)
      return bytes
    }
    case 'uint': {
      const number = typeof value === 'number' ? value : /^\d+$/.test(text) ? Number(text) : NaN
      return uintBytes(number, definition.length, where)
    }
    case 'bcd': {
      if (!/^\d*$/.test(text)) throw new RangeError(`${where}: BCD takes decimal digits, got "${text}"`)
      const digits = fixed === undefined ? text.padStart(text.length + (text.length % 2), '0') : text.padStart(fixed * 2, '0')
      if (fixed !== undefined && digits.length > fixed * 2) throw new RangeError(`${where}: takes ${fixed * 2} digits, got ${text.length}`)
      return fromHex(digits)
    }
  }
}
