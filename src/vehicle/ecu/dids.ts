import { SemVer } from '../../shared/fleet/catalog'
import { DID, fromHex, NRC, SESSION } from '../../shared/uds'
import type { EcuContext, ServiceHandler } from './context'
import { refuse } from './refusal'

/** The data identifiers every simulated ECU answers, and which of them a tester may write. */

/** Manufacturer-specific DIDs of the simulator (ISO leaves F1A0–F1EF and 0100–EFFF to the maker). */
export const SIM_DID = {
  /** Write before FF01: the software version of the image being programmed (ASCII semver). */
  declaredSoftwareVersion: 0xf1a0,
  /** 1 byte: PROGRAMMING_STATUS (00 valid, 01 incomplete, 02 verified, activates at reset). */
  programmingStatus: 0xf1a1,
  /** 3 bytes, km. */
  odometer: 0x0101,
  /** 2 bytes, mV. */
  batteryVoltage: 0x0102
} as const

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff)
const text = (data: Uint8Array) => String.fromCharCode(...data)
const printable = (data: Uint8Array) => data.every((b) => b >= 0x20 && b <= 0x7e)
const isBcd = (data: Uint8Array) => data.every((b) => b >> 4 <= 9 && (b & 0x0f) <= 9)
/** A big-endian unsigned value of `length` bytes. */
export const uintData = (value: number, length: number) => Uint8Array.from({ length }, (_, i) => Math.floor(value / 256 ** (length - 1 - i)) & 0xff)

interface Writable {
  sessions: readonly number[]
  /** Data lengths accepted, else incorrectMessageLengthOrInvalidFormat. */
  length: readonly [min: number, max: number]
  /** Why the content is refused (requestOutOfRange), or undefined. */
  invalid(data: Uint8Array): string | undefined
  write(ecu: EcuContext, data: Uint8Array): void
}

interface DidEntry {
  read(ecu: EcuContext): Uint8Array
  writable?: Writable
}

const PROGRAMMING_ONLY = [SESSION.programming]
const EXTENDED_OR_PROGRAMMING = [SESSION.extended, SESSION.programming]

const DIDS = new Map<number, DidEntry>([
  [DID.activeDiagnosticSession, { read: (ecu) => Uint8Array.of(ecu.session) }],
  [DID.sparePartNumber, { read: (ecu) => ascii(ecu.identity.sparePartNumber) }],
  [DID.ecuSoftwareNumber, { read: (ecu) => ascii(ecu.identity.softwareNumber) }],
  [DID.ecuSoftwareVersion, { read: (ecu) => ascii(ecu.node.software) }],
  [DID.systemSupplierIdentifier, { read: (ecu) => ascii(ecu.identity.supplier) }],
  [DID.ecuManufacturingDate, { read: (ecu) => fromHex(ecu.identity.manufacturingDate) }],
  [DID.ecuSerialNumber, { read: (ecu) => ascii(ecu.identity.serialNumber) }],
  [DID.vin, { read: (ecu) => ascii(ecu.identity.vin) }],
  [DID.ecuHardwareNumber, { read: (ecu) => ascii(ecu.node.hardware) }],
  [DID.supplierEcuSoftwareVersion, { read: (ecu) => ascii(ecu.node.software) }],
  [DID.systemName, { read: (ecu) => ascii(ecu.identity.systemName) }],
  [
    DID.repairShopCodeOrTesterSerialNumber,
    {
      read: (ecu) => ascii(ecu.data.repairShopCode),
      writable: {
        sessions: EXTENDED_OR_PROGRAMMING,
        length: [1, 20],
        invalid: (data) => (printable(data) ? undefined : 'takes printable ASCII'),
        write: (ecu, data) => void (ecu.data.repairShopCode = text(data))
      }
    }
  ],
  [
    DID.programmingDate,
    {
      read: (ecu) => fromHex(ecu.data.programmingDate),
      writable: {
        sessions: EXTENDED_OR_PROGRAMMING,
        length: [4, 4],
        invalid: (data) => (isBcd(data) ? undefined : 'takes BCD digits YYYYMMDD'),
        write: (ecu, data) => void (ecu.data.programmingDate = Array.from(data, (b) => b.toString(16).padStart(2, '0')).join(''))
      }
    }
  ],
  [
    DID.fingerprint,
    {
      read: (ecu) => ecu.data.fingerprint,
      writable: {
        sessions: PROGRAMMING_ONLY,
        length: [1, 16],
        invalid: () => undefined,
        write: (ecu, data) => void (ecu.data.fingerprint = data.slice())
      }
    }
  ],
  [
    SIM_DID.declaredSoftwareVersion,
    {
      read: (ecu) => ascii(ecu.programming.declaredVersion ?? ''),
      writable: {
        sessions: PROGRAMMING_ONLY,
        length: [5, 32],
        invalid: (data) => (SemVer.safeParse(text(data)).success ? undefined : 'takes a semantic version x.y.z in ASCII'),
        write: (ecu, data) => ecu.programming.declareVersion(text(data))
      }
    }
  ],
  [SIM_DID.programmingStatus, { read: (ecu) => Uint8Array.of(ecu.programming.status) }],
  [SIM_DID.odometer, { read: (ecu) => uintData(ecu.environment(ecu.clock.now()).odometerKm, 3) }],
  [SIM_DID.batteryVoltage, { read: (ecu) => uintData(ecu.environment(ecu.clock.now()).batteryMv, 2) }]
])

const didName = (did: number) => `DID ${did.toString(16).toUpperCase().padStart(4, '0')}`

/** 0x22: the DIDs this ECU knows are answered, the others left out; none known is requestOutOfRange. */
export const readDataByIdentifier: ServiceHandler<'readDataByIdentifier'> = ({ dids }, ecu) => {
  const records = dids.flatMap((did) => {
    const entry = DIDS.get(did)
    return entry ? [{ did, data: entry.read(ecu) }] : []
  })
  if (records.length === 0) throw refuse(NRC.requestOutOfRange, `${dids.map(didName).join(', ')}: not supported`)
  return { service: 'readDataByIdentifier', records }
}

/** 0x2E: only the writable DIDs, in their sessions, after security access. */
export const writeDataByIdentifier: ServiceHandler<'writeDataByIdentifier'> = ({ did, data }, ecu) => {
  const writable = DIDS.get(did)?.writable
  if (!writable || !writable.sessions.includes(ecu.session)) throw refuse(NRC.requestOutOfRange, `${didName(did)} is not writable in session ${ecu.session}`)
  const [min, max] = writable.length
  if (data.length < min || data.length > max) throw refuse(NRC.incorrectMessageLengthOrInvalidFormat, `${didName(did)} takes ${min} to ${max} bytes, got ${data.length}`)
  if (ecu.security.unlockedLevel === undefined) throw refuse(NRC.securityAccessDenied, `writing ${didName(did)} needs security access`)
  const problem = writable.invalid(data)
  if (problem) throw refuse(NRC.requestOutOfRange, `${didName(did)} ${problem}`)
  writable.write(ecu, data)
  return { service: 'writeDataByIdentifier', did }
}
