import { crc32 } from 'node:zlib'
import { NRC, type MemoryRange } from '../../shared/uds'
import { refuse } from './refusal'

/** The application area a tester may erase and download into: 64 MiB from address 0. */
export const FLASH_AREA = { address: 0x0000_0000, size: 0x0400_0000 } as const

/** DID F1A1: where programming stands. */
export const PROGRAMMING_STATUS = {
  /** The running application is valid (and F195 names it). */
  valid: 0x00,
  /** Erased, or a download stopped part-way: the old software keeps running until a flash completes. */
  incomplete: 0x01,
  /** Downloaded and checked: it becomes the running software at the next reset. */
  verified: 0x02
} as const

/** Routine FF01's status record: 00 passes, anything else names what is missing. */
export const DEPENDENCY_CHECK = {
  correct: 0x00,
  incompleteTransfer: 0x01,
  crcMismatch: 0x02,
  /** No expected CRC-32 came with 0x37 or with the routine. */
  crcMissing: 0x03,
  /** No version was written to DID F1A0 before the check. */
  versionNotDeclared: 0x04
} as const

interface Download {
  address: number
  size: number
  /** CRC-32 of the bytes so far: the image itself is not kept, the simulated ECU never runs it. */
  crc: number
  received: number
  lastCounter: number
  /** Set by 0x37. */
  exit?: { crc: number; expectedCrc?: number }
}

const within = (inner: { address: number; size: number }, outer: { address: number; size: number }) =>
  inner.size > 0 && inner.address >= outer.address && inner.address + inner.size <= outer.address + outer.size

const crcBytes = (crc: number) => Uint8Array.of(crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff)
const readCrc = (bytes: Uint8Array) => ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0

/**
 * Erase, download, transfer, exit and check of one ECU's application. The image's integrity is
 * a CRC-32 (zlib's, big-endian on the wire) the tester sends with 0x37 or with routine FF01; the
 * version it carries is declared by writing DID F1A0 beforehand. The old software keeps running
 * until a checked image is activated by a reset, so an interrupted flash is recovered by doing it
 * again from the start.
 */
export class Programming {
  status: number = PROGRAMMING_STATUS.valid
  private declared: string | undefined
  private erased: { address: number; size: number } | undefined
  private download: Download | undefined
  private checked = false
  /** Status records of routines last started, for 0x31 03 requestResults. */
  readonly routineResults = new Map<number, Uint8Array>()

  constructor(private readonly maxNumberOfBlockLength: number) {}

  /** DID F1A0: the version of the image being programmed, applied at activation. */
  get declaredVersion(): string | undefined {
    return this.declared
  }

  /** Declaring another version after a passed check asks for the check again. */
  declareVersion(version: string): void {
    this.declared = version
    if (this.checked) {
      this.checked = false
      this.status = PROGRAMMING_STATUS.incomplete
    }
  }

  /** Routine FF00; no range erases the whole application area. */
  erase(range: Required<MemoryRange> | undefined): void {
    const target = range ?? FLASH_AREA
    if (!within(target, FLASH_AREA)) throw refuse(NRC.requestOutOfRange, `erase range ${hex(target.address)}+${target.size} is outside the application area`)
    this.erased = { address: target.address, size: target.size }
    this.download = undefined
    this.checked = false
    this.status = PROGRAMMING_STATUS.incomplete
  }

  requestDownload(request: { dataFormatIdentifier: number } & Required<MemoryRange>): number {
    if (request.dataFormatIdentifier !== 0) throw refuse(NRC.requestOutOfRange, `dataFormatIdentifier ${hex(request.dataFormatIdentifier)}: this ECU takes plain images only (00)`)
    if (!within(request, FLASH_AREA)) throw refuse(NRC.requestOutOfRange, `download range ${hex(request.address)}+${request.size} is outside the application area`)
    if (this.download && !this.download.exit) throw refuse(NRC.conditionsNotCorrect, 'a download is already in progress')
    if (!this.erased || !within(request, this.erased)) throw refuse(NRC.uploadDownloadNotAccepted, 'the range is not erased: run routine FF00 first')
    this.download = { address: request.address, size: request.size, crc: 0, received: 0, lastCounter: 0 }
    this.checked = false
    return this.maxNumberOfBlockLength
  }

  transfer(counter: number, data: Uint8Array): void {
    const download = this.download
    if (!download || download.exit) throw refuse(NRC.requestSequenceError, 'no download in progress: send 0x34 first')
    if (data.length === 0 || data.length > this.maxNumberOfBlockLength - 2)
      throw refuse(NRC.incorrectMessageLengthOrInvalidFormat, `a block carries 1 to ${this.maxNumberOfBlockLength - 2} bytes, got ${data.length}`)
    // The tester repeats a block whose answer it lost; ISO 14229-1 has the server accept it again without writing twice.
    if (counter === download.lastCounter && download.received > 0) return
    if (counter !== ((download.lastCounter + 1) & 0xff)) throw refuse(NRC.wrongBlockSequenceCounter, `expected block ${(download.lastCounter + 1) & 0xff}, got ${counter}`)
    if (download.received + data.length > download.size)
      throw refuse(NRC.transferDataSuspended, `the block goes ${download.received + data.length - download.size} bytes past the ${download.size} requested`)
    download.crc = crc32(data, download.crc)
    download.received += data.length
    download.lastCounter = counter
  }

  /** 0x37 with an optional expected CRC-32; answers the CRC-32 of what arrived. */
  exit(record: Uint8Array): Uint8Array {
    const download = this.download
    if (!download || download.exit) throw refuse(NRC.requestSequenceError, 'no download in progress')
    if (record.length !== 0 && record.length !== 4)
      throw refuse(NRC.incorrectMessageLengthOrInvalidFormat, `the transfer exit record is empty or a 4-byte CRC-32, got ${record.length} bytes`)
    if (download.received < download.size) throw refuse(NRC.requestSequenceError, `only ${download.received} of ${download.size} bytes arrived`)
    const crc = download.crc >>> 0
    const expectedCrc = record.length === 4 ? readCrc(record) : undefined
    if (expectedCrc !== undefined && expectedCrc !== crc) {
      this.download = undefined
      throw refuse(NRC.generalProgrammingFailure, `image CRC-32 ${hex(crc)} differs from the expected ${hex(expectedCrc)}`)
    }
    download.exit = { crc, expectedCrc }
    return crcBytes(crc)
  }

  /** Routine FF01, with an optional expected CRC-32 as its option record. */
  checkDependencies(option: Uint8Array): number {
    if (option.length !== 0 && option.length !== 4)
      throw refuse(NRC.incorrectMessageLengthOrInvalidFormat, `the check takes no option or a 4-byte CRC-32, got ${option.length} bytes`)
    const exit = this.download?.exit
    if (!exit) return DEPENDENCY_CHECK.incompleteTransfer
    const expected = option.length === 4 ? readCrc(option) : exit.expectedCrc
    if (expected === undefined) return DEPENDENCY_CHECK.crcMissing
    if (expected !== exit.crc) return DEPENDENCY_CHECK.crcMismatch
    if (!this.declared) return DEPENDENCY_CHECK.versionNotDeclared
    this.checked = true
    this.status = PROGRAMMING_STATUS.verified
    return DEPENDENCY_CHECK.correct
  }

  /** A session change stops a download in progress; what was erased stays incomplete. */
  abortTransfer(): void {
    if (this.download && !this.download.exit) this.download = undefined
  }

  /** At a reset: the version to run from now on when a checked image waits, else undefined. */
  activate(): string | undefined {
    const version = this.checked ? this.declared : undefined
    this.download = undefined
    this.declared = undefined
    if (version) {
      this.checked = false
      this.erased = undefined
      this.status = PROGRAMMING_STATUS.valid
    }
    return version
  }
}

const hex = (n: number) => `0x${n.toString(16).toUpperCase()}`
