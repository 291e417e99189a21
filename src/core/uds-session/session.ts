import { callUds, type FlashOutcome, type FlashProgress, runFlashSequence, type UdsRequester } from '../../shared/uds-client'
import {
  ALL_DTC_GROUPS,
  BUILTIN_DID_CATALOG,
  decodeDidValue,
  DID,
  type DidCatalog,
  type DidDefinition,
  type DidValue,
  demoXorRotateKey,
  DTC_REPORT,
  type DtcAndStatus,
  RESET_TYPE,
  ROUTINE_CONTROL,
  type SecurityKeyAlgorithm,
  SID
} from '../../shared/uds'
import { refused } from './errors'
import { type FlashExpectation, type FlashRelease, flashRefusal } from './flash-checks'
import { createKeepAlive } from './keep-alive'

/** A diagnostic session's way to the vehicle: DoIP in the workshop, or the backend's relay. */
export interface DiagTransport extends UdsRequester {
  readonly kind: 'doip' | 'remote'
  /** Remote only: the gateway downloads the release, verifies it with TUF and flashes it itself. */
  flashRelease?(target: number, releaseId: string, options: FlashOptions): Promise<FlashResult>
  close(): Promise<void>
}

export interface UdsAnswer {
  target: number
  request: Uint8Array
  /** Undefined when the ECU sent nothing (a suppressed positive response). */
  response: Uint8Array | undefined
  elapsedMs: number
}

export interface DidReading {
  did: number
  name: string
  value: DidValue | null
  data: Uint8Array
}

/** A verified image with what it is for (direct flash), or a release the gateway fetches itself (remote). */
export type FlashFirmware = { kind: 'image'; image: Uint8Array; release: FlashRelease; expected: FlashExpectation } | { kind: 'release'; releaseId: string }

/** What every flash tells when it ends, local or remote. */
export type FlashResult = Pick<FlashOutcome, 'versionBefore' | 'versionAfter' | 'bytes' | 'blocks' | 'elapsedMs'>

export interface FlashOptions {
  onProgress?(progress: FlashProgress): void
  signal?: AbortSignal
  keyAlgorithm?: SecurityKeyAlgorithm
  securityLevel?: number
}

/** One API for diagnostics, whichever transport carries it; every feature works remote or in the workshop. */
export interface DiagSession {
  readonly kind: 'doip' | 'remote'
  request(target: number, uds: Uint8Array, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<UdsAnswer>
  readDids(target: number, dids: readonly number[]): Promise<DidReading[]>
  readDtcs(target: number, statusMask: number): Promise<DtcAndStatus[]>
  clearDtcs(target: number, group?: number): Promise<void>
  changeSession(target: number, session: number): Promise<{ session: number; timing?: { p2Ms: number; p2StarMs: number } }>
  unlock(target: number, level: number, keyAlgorithm: SecurityKeyAlgorithm): Promise<void>
  routine(target: number, control: number, routineId: number, option?: Uint8Array): Promise<Uint8Array>
  reset(target: number, resetType?: number): Promise<void>
  flash(target: number, firmware: FlashFirmware, options?: FlashOptions): Promise<FlashResult>
  /** ECUs kept in a non-default session by tester present. */
  keptAlive(): number[]
  close(): Promise<void>
}

const FUNCTIONAL_ADDRESS = 0xe400

/** The value a person reads, or null when the bytes do not fit the catalog's definition. */
function displayValue(definition: DidDefinition, data: Uint8Array): DidValue | null {
  try {
    return decodeDidValue(definition, data)
  } catch {
    return null
  }
}

export function createDiagSession(
  transport: DiagTransport,
  options: { didCatalog?: DidCatalog; keepAliveMs?: number; onKeepAliveError?(target: number, err: Error): void } = {}
): DiagSession {
  const catalog = options.didCatalog ?? BUILTIN_DID_CATALOG
  const keepAlive = createKeepAlive(transport, { intervalMs: options.keepAliveMs, onError: options.onKeepAliveError })

  /** Every request goes through here: it restarts the ECU's S3 wait and follows its session. */
  const tracked: UdsRequester = {
    async request(target, uds, opts) {
      if (target === FUNCTIONAL_ADDRESS) throw refused('Functional addressing (0xE400) is not supported by the diagnostic session: address each ECU.')
      keepAlive.touch(target)
      const response = await transport.request(target, uds, opts)
      if (response?.[0] === SID.diagnosticSessionControl + 0x40 && response[1] !== undefined) keepAlive.sessionChanged(target, response[1])
      if (response?.[0] === SID.ecuReset + 0x40) keepAlive.stop(target)
      return response
    }
  }

  const readDids = async (target: number, dids: readonly number[]) => {
    const response = await callUds(tracked, target, { service: 'readDataByIdentifier', dids: [...dids] }, { decode: { didCatalog: catalog } })
    return response.records.map(({ did, data }) => {
      const definition = catalog.get(did)
      return { did, name: definition?.name ?? `DID ${did.toString(16).toUpperCase().padStart(4, '0')}`, value: definition ? displayValue(definition, data) : null, data }
    })
  }

  const flashImage = async (target: number, firmware: Extract<FlashFirmware, { kind: 'image' }>, opts: FlashOptions) => {
    if (transport.kind === 'remote') throw refused('A remote flash takes a release the vehicle downloads and verifies itself; images are not sent over the relay.')
    const text = async (did: number) => (await readDids(target, [did]).catch(() => []))[0]?.value
    const vin = await text(DID.vin)
    const hardware = await text(DID.ecuHardwareNumber)
    const refusal = flashRefusal(firmware.release, firmware.expected, target, {
      vin: vin === undefined || vin === null ? undefined : String(vin),
      hardware: hardware === undefined || hardware === null ? undefined : String(hardware)
    })
    if (refusal) throw refused(refusal)
    return runFlashSequence(tracked, target, firmware.image, {
      version: firmware.release.version,
      keyAlgorithm: opts.keyAlgorithm ?? demoXorRotateKey,
      securityLevel: opts.securityLevel,
      onProgress: opts.onProgress,
      signal: opts.signal,
      progressIntervalMs: 250
    })
  }

  return {
    kind: transport.kind,
    async request(target, uds, opts) {
      const started = performance.now()
      const response = await tracked.request(target, uds, opts)
      return { target, request: uds, response, elapsedMs: Math.round(performance.now() - started) }
    },
    readDids,
    async readDtcs(target, statusMask) {
      const response = await callUds(tracked, target, { service: 'readDtcInformation', report: DTC_REPORT.dtcByStatusMask, statusMask })
      return response.report === 0x02 ? response.dtcs : []
    },
    async clearDtcs(target, group = ALL_DTC_GROUPS) {
      await callUds(tracked, target, { service: 'clearDiagnosticInformation', groupOfDtc: group })
    },
    async changeSession(target, session) {
      const { timing } = await callUds(tracked, target, { service: 'diagnosticSessionControl', session })
      return timing ? { session, timing } : { session }
    },
    async unlock(target, level, keyAlgorithm) {
      const seed = await callUds(tracked, target, { service: 'securityAccess', action: 'requestSeed', level })
      if (seed.action !== 'requestSeed' || seed.seed.every((b) => b === 0)) return
      await callUds(tracked, target, { service: 'securityAccess', action: 'sendKey', level, key: keyAlgorithm(seed.seed, level) })
    },
    async routine(target, control, routineId, option) {
      return (await callUds(tracked, target, { service: 'routineControl', control: control ?? ROUTINE_CONTROL.start, routineId, option })).status
    },
    async reset(target, resetType = RESET_TYPE.hardReset) {
      await callUds(tracked, target, { service: 'ecuReset', resetType })
    },
    async flash(target, firmware, opts = {}) {
      if (firmware.kind === 'image') return flashImage(target, firmware, opts)
      if (!transport.flashRelease) throw refused(`A flash over DoIP takes a verified image (an offline bundle's), not release ${firmware.releaseId} by id.`)
      keepAlive.stop(target)
      return transport.flashRelease(target, firmware.releaseId, opts)
    },
    keptAlive: () => keepAlive.active(),
    async close() {
      keepAlive.stopAll()
      await transport.close()
    }
  }
}
