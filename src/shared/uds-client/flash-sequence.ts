import {
  BUILTIN_DID_CATALOG,
  decodeDidValue,
  DID,
  eraseMemoryOption,
  RESET_TYPE,
  ROUTINE,
  ROUTINE_CONTROL,
  type SecurityKeyAlgorithm,
  SESSION,
  toHex,
  transferDataChunkSize,
  transferDataRequests
} from '../uds'
import { crc32, crc32Bytes } from './crc32'
import { callUds, callUdsFrame, hexAddress, type UdsRequester } from './uds-call'

/**
 * The flash sequence of one ECU, the same code whether the console drives it over DoIP or the
 * vehicle gateway runs it locally for a remote flash. It is bound by round trips: each 0x36 is
 * written the moment the previous one is answered, with no sleep in between.
 */

/** The steps in order; `prepare` reads the running version before anything changes. */
export const FLASH_STEPS = ['prepare', 'session', 'unlock', 'erase', 'download', 'transfer', 'exit', 'check', 'reset', 'readBack'] as const
export type FlashStep = (typeof FLASH_STEPS)[number]
/** A remote flash starts with the gateway downloading the image and verifying it with TUF. */
export const FLASH_PHASES = ['verify', ...FLASH_STEPS] as const
export type FlashPhase = (typeof FLASH_PHASES)[number]

export interface FlashProgress {
  step: FlashPhase
  bytesSent: number
  bytesTotal: number
  blocksSent: number
  /** Over the transfer so far; 0 before it starts. */
  bytesPerSecond: number
  /** Seconds left of the transfer at the current speed; null until it can be told. */
  etaSeconds: number | null
  elapsedMs: number
}

export interface FlashSequenceOptions {
  /** The version the image carries: declared in DID F1A0, expected in F195 after the reset. */
  version: string
  keyAlgorithm: SecurityKeyAlgorithm
  /** The odd requestSeed level; 0x01 when absent. */
  securityLevel?: number
  /** Where the image goes; address 0 with 4-byte address and size fields when absent. */
  memory?: { address: number; addressLength?: number; sizeLength?: number }
  onProgress?: (progress: FlashProgress) => void
  /** At most one transfer progress report per this many ms (the last block always reports). */
  progressIntervalMs?: number
  signal?: AbortSignal
  /** Reads of F195 after the reset while the ECU reboots, and the wait between them. */
  readBack?: { attempts: number; delayMs: number }
  now?: () => number
}

export interface FlashOutcome {
  versionBefore: string | null
  versionAfter: string
  bytes: number
  blocks: number
  crc: number
  maxNumberOfBlockLength: number
  elapsedMs: number
  transferMs: number
}

/** A step of the sequence failed; `cause` is what the transport or the ECU said. */
export class FlashError extends Error {
  override readonly name: string = 'FlashError'
  constructor(
    readonly step: FlashStep,
    message: string,
    options?: { cause?: unknown }
  ) {
    super(message, options)
  }
}

/** The caller's AbortSignal stopped the sequence; the ECU was sent back to the default session. */
export class FlashAbortedError extends FlashError {
  override readonly name = 'FlashAbortedError'
}

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0))

/** FF01 results as the simulated ECUs define them (docs/simulator.md); OEMs define their own. */
const CHECK_RESULTS: Record<number, string> = {
  0x01: 'the transfer is incomplete',
  0x02: 'the CRC-32 does not match',
  0x03: 'no CRC-32 was given',
  0x04: 'no version was declared in F1A0'
}

const readVersion = async (requester: UdsRequester, target: number, signal?: AbortSignal) => {
  const response = await callUds(requester, target, { service: 'readDataByIdentifier', dids: [DID.supplierEcuSoftwareVersion] }, { signal })
  const record = response.records.find((r) => r.did === DID.supplierEcuSoftwareVersion)
  if (!record) throw new FlashError('readBack', `ECU ${hexAddress(target)} did not return F195`)
  return String(decodeDidValue(BUILTIN_DID_CATALOG.get(DID.supplierEcuSoftwareVersion)!, record.data))
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export async function runFlashSequence(requester: UdsRequester, target: number, image: Uint8Array, options: FlashSequenceOptions): Promise<FlashOutcome> {
  const now = options.now ?? (() => performance.now())
  const { signal } = options
  const level = options.securityLevel ?? 0x01
  const memory = { addressLength: 4, sizeLength: 4, ...(options.memory ?? { address: 0 }), size: image.length }
  const interval = options.progressIntervalMs ?? 100
  const started = now()
  let transferStarted = 0
  let step: FlashStep = 'prepare'
  let bytesSent = 0
  let blocksSent = 0
  let lastReport = -Infinity

  const report = (force: boolean) => {
    const t = now()
    if (!force && t - lastReport < interval) return
    lastReport = t
    const seconds = transferStarted ? (t - transferStarted) / 1000 : 0
    const bytesPerSecond = seconds > 0 ? bytesSent / seconds : 0
    const beforeTransfer = FLASH_STEPS.indexOf(step) < FLASH_STEPS.indexOf('transfer')
    const etaSeconds = beforeTransfer ? null : bytesSent === image.length ? 0 : bytesPerSecond > 0 ? (image.length - bytesSent) / bytesPerSecond : null
    options.onProgress?.({
      step,
      bytesSent,
      bytesTotal: image.length,
      blocksSent,
      bytesPerSecond: Math.round(bytesPerSecond),
      etaSeconds: etaSeconds === null ? null : Math.round(etaSeconds * 10) / 10,
      elapsedMs: Math.round(t - started)
    })
  }
  const enter = (next: FlashStep) => {
    if (signal?.aborted) throw new FlashAbortedError(step, `the flash of ${hexAddress(target)} was aborted before ${next}`)
    step = next
    report(true)
  }

  if (image.length === 0) throw new FlashError('prepare', 'the image is empty')
  const crc = crc32(image)
  try {
    enter('prepare')
    const versionBefore = await readVersion(requester, target, signal).catch((err: unknown) => {
      if (signal?.aborted) throw err
      return null
    })

    enter('session')
    await callUds(requester, target, { service: 'diagnosticSessionControl', session: SESSION.programming }, { signal })

    enter('unlock')
    const seed = await callUds(requester, target, { service: 'securityAccess', action: 'requestSeed', level }, { signal })
    if (seed.action === 'requestSeed' && seed.seed.some((b) => b !== 0)) {
      await callUds(requester, target, { service: 'securityAccess', action: 'sendKey', level, key: options.keyAlgorithm(seed.seed, level) }, { signal })
    }

    enter('erase')
    await callUds(requester, target, { service: 'routineControl', control: ROUTINE_CONTROL.start, routineId: ROUTINE.eraseMemory, option: eraseMemoryOption(memory) }, { signal })

    enter('download')
    const { maxNumberOfBlockLength } = await callUds(requester, target, { service: 'requestDownload', dataFormatIdentifier: 0x00, ...memory }, { signal })
    const chunk = transferDataChunkSize(maxNumberOfBlockLength)
    if (chunk < 1) throw new FlashError('download', `ECU ${hexAddress(target)} allows blocks of ${maxNumberOfBlockLength} bytes, too few to carry data`)

    enter('transfer')
    transferStarted = now()
    for (const { frame, counter, length } of transferDataRequests(image, chunk)) {
      if (signal?.aborted) throw new FlashAbortedError('transfer', `the flash of ${hexAddress(target)} was aborted after ${bytesSent} of ${image.length} bytes`)
      const answer = await callUdsFrame(requester, target, 'transferData', frame, { signal })
      if (answer.blockSequenceCounter !== counter)
        throw new FlashError('transfer', `ECU ${hexAddress(target)} acknowledged block ${answer.blockSequenceCounter} for block ${counter}`)
      bytesSent += length
      blocksSent++
      report(bytesSent === image.length)
    }
    const transferMs = now() - transferStarted

    enter('exit')
    const exit = await callUds(requester, target, { service: 'requestTransferExit', data: crc32Bytes(crc) }, { signal })
    if (exit.data?.length === 4 && toHex(exit.data) !== toHex(crc32Bytes(crc))) {
      throw new FlashError('exit', `ECU ${hexAddress(target)} computed CRC-32 ${toHex(exit.data)}, the image has ${toHex(crc32Bytes(crc))}`)
    }

    enter('check')
    await callUds(requester, target, { service: 'writeDataByIdentifier', did: 0xf1a0, data: ascii(options.version) }, { signal })
    const check = await callUds(requester, target, { service: 'routineControl', control: ROUTINE_CONTROL.start, routineId: ROUTINE.checkProgrammingDependencies }, { signal })
    const result = check.status[0]
    if (result !== undefined && result !== 0x00) {
      throw new FlashError(
        'check',
        `ECU ${hexAddress(target)} refused the image in its dependency check (FF01 status ${toHex(check.status)}${CHECK_RESULTS[result] ? `: ${CHECK_RESULTS[result]}` : ''})`
      )
    }

    enter('reset')
    await callUds(requester, target, { service: 'ecuReset', resetType: RESET_TYPE.hardReset }, { signal })

    enter('readBack')
    const { attempts, delayMs } = options.readBack ?? { attempts: 10, delayMs: 200 }
    let versionAfter: string | undefined
    for (let attempt = 1; versionAfter === undefined; attempt++) {
      try {
        versionAfter = await readVersion(requester, target, signal)
      } catch (err) {
        // The ECU may still be rebooting.
        if (signal?.aborted || attempt >= attempts) throw err
        await pause(delayMs)
      }
    }
    if (versionAfter !== options.version) throw new FlashError('readBack', `ECU ${hexAddress(target)} runs ${versionAfter} after the reset, not ${options.version}`)
    return {
      versionBefore,
      versionAfter,
      bytes: image.length,
      blocks: blocksSent,
      crc,
      maxNumberOfBlockLength,
      elapsedMs: Math.round(now() - started),
      transferMs: Math.round(transferMs)
    }
  } catch (err) {
    if (!signal?.aborted) throw err instanceof FlashError ? err : new FlashError(step, `${step}: ${(err as Error).message}`, { cause: err })
    // Leave the ECU where a new flash can start: the default session drops the download; F1A1 stays "incomplete".
    await requester.request(target, Uint8Array.of(0x10, SESSION.default), { timeoutMs: 2000 }).catch(() => undefined)
    throw err instanceof FlashAbortedError
      ? err
      : new FlashAbortedError(step, `the flash of ${hexAddress(target)} was aborted during ${step} after ${bytesSent} of ${image.length} bytes`, { cause: err })
  }
}
