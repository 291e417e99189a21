import { randomBytes } from 'node:crypto'
import { decodeUdsRequest, encodeNegativeResponse, encodeUdsResponse, isResponsePending, NRC, type ServiceName, serviceNameOf, SESSION, UdsDecodeError } from '../../shared/uds'
import { type EcuClock, realClock } from './clock'
import { DEFAULT_ECU_SETTINGS, type EcuContext, type EcuIdentity, type EcuNode, type EcuSettings, type HandlerIo, type ServiceHandler } from './context'
import { readDataByIdentifier, writeDataByIdentifier } from './dids'
import { type DtcDefinition, DtcMemory } from './dtc-memory'
import { clearDiagnosticInformation, readDtcInformation } from './dtc-services'
import { Programming } from './programming'
import { requestDownload, requestTransferExit, routineControl, transferData } from './programming-services'
import { Refusal } from './refusal'
import { SecurityAccess } from './security'
import { communicationControl, controlDtcSetting, diagnosticSessionControl, ecuReset, securityAccess, testerPresent } from './session-services'

const ALL: readonly number[] = [SESSION.default, SESSION.programming, SESSION.extended]
const NON_DEFAULT: readonly number[] = [SESSION.programming, SESSION.extended]
const NOT_PROGRAMMING: readonly number[] = [SESSION.default, SESSION.extended]
const PROGRAMMING: readonly number[] = [SESSION.programming]

/** Each service: the sessions it is available in, whether it needs security access, and its handler. */
const SERVICES: { [K in ServiceName]: { sessions: readonly number[]; secured?: true; handler: ServiceHandler<K> } } = {
  diagnosticSessionControl: { sessions: ALL, handler: diagnosticSessionControl },
  ecuReset: { sessions: ALL, handler: ecuReset },
  clearDiagnosticInformation: { sessions: NOT_PROGRAMMING, handler: clearDiagnosticInformation },
  readDtcInformation: { sessions: NOT_PROGRAMMING, handler: readDtcInformation },
  readDataByIdentifier: { sessions: ALL, handler: readDataByIdentifier },
  securityAccess: { sessions: NON_DEFAULT, handler: securityAccess },
  communicationControl: { sessions: NON_DEFAULT, handler: communicationControl },
  writeDataByIdentifier: { sessions: NON_DEFAULT, handler: writeDataByIdentifier },
  routineControl: { sessions: NON_DEFAULT, handler: routineControl },
  requestDownload: { sessions: PROGRAMMING, secured: true, handler: requestDownload },
  transferData: { sessions: PROGRAMMING, secured: true, handler: transferData },
  requestTransferExit: { sessions: PROGRAMMING, secured: true, handler: requestTransferExit },
  testerPresent: { sessions: ALL, handler: testerPresent },
  controlDtcSetting: { sessions: NON_DEFAULT, handler: controlDtcSetting }
}

/** Functionally addressed requests get no negative response with these codes (ISO 14229-1 7.5). */
const SILENT_WHEN_FUNCTIONAL = new Set<number>([
  NRC.serviceNotSupported,
  NRC.subFunctionNotSupported,
  NRC.requestOutOfRange,
  NRC.subFunctionNotSupportedInActiveSession,
  NRC.serviceNotSupportedInActiveSession
])

/** Security levels the simulated ECUs offer: 01 (seed 27 01, key 27 02), the demo algorithm's. */
export const SECURITY_LEVEL = 0x01

export interface EcuServerOptions {
  identity: EcuIdentity
  /** The ECU's entry of the version report, changed in place by a flash. */
  node: EcuNode
  dtcDefinitions: readonly DtcDefinition[]
  dtcSeed: number
  environment: EcuContext['environment']
  settings?: Partial<EcuSettings>
  clock?: EcuClock
  /** 4-byte seeds for security access; random when absent. */
  seedBytes?: () => Uint8Array
  /** After a reset activated flashed software; `node.software` already names it. */
  onSoftwareChanged?: (version: string) => void
  log?: (line: string) => void
}

export interface RequestOptions {
  /** Sent to the functional address: some negative responses are left out. */
  functional?: boolean
}

export interface EcuServer {
  readonly address: number
  readonly name: string
  /** The longest request it takes: a 0x36 block of maxNumberOfBlockLength. */
  readonly maxRequestLength: number
  /**
   * Handles one request and calls `send` with each response frame: 7F SID 78 first when the work
   * is slow, none when a positive response is suppressed. Requests queue, one at a time.
   */
  handle(request: Uint8Array, send: (response: Uint8Array) => void, options?: RequestOptions): Promise<void>
  /** The final response (not the 7F SID 78 before it), or undefined when none is sent. */
  request(request: Uint8Array, options?: RequestOptions): Promise<Uint8Array | undefined>
}

const randomSeed = (): Uint8Array => {
  const seed = randomBytes(4)
  // An all-zero seed would mean "already unlocked".
  return seed.some((b) => b !== 0) ? new Uint8Array(seed) : Uint8Array.of(1, 2, 3, 4)
}

/** One simulated ECU's UDS server: the services of a diagnostic and flash session, see docs/simulator.md. */
export function createEcuServer(options: EcuServerOptions): EcuServer {
  const settings = { ...DEFAULT_ECU_SETTINGS, ...options.settings }
  const clock = options.clock ?? realClock
  const security = new SecurityAccess({
    levels: [SECURITY_LEVEL],
    maxAttempts: settings.maxKeyAttempts,
    delayMs: settings.securityDelayMs,
    seedBytes: options.seedBytes ?? randomSeed
  })
  const programming = new Programming(settings.maxNumberOfBlockLength)
  const dtcs = new DtcMemory({
    definitions: options.dtcDefinitions,
    seed: options.dtcSeed,
    cycleMs: settings.dtcCycleMs,
    startedAt: clock.now() - settings.dtcHistoryCycles * settings.dtcCycleMs,
    environment: options.environment
  })
  const today = () => new Date(clock.now()).toISOString().slice(0, 10).replaceAll('-', '')

  const ecu: EcuContext = {
    identity: options.identity,
    node: options.node,
    clock,
    settings,
    session: SESSION.default,
    security,
    programming,
    dtcs,
    data: { repairShopCode: '0000000000', programmingDate: `20${options.identity.manufacturingDate}`, fingerprint: new Uint8Array(16) },
    environment: options.environment,
    enterSession(session) {
      ecu.session = session
      security.lock()
      programming.abortTransfer()
      if (session === SESSION.default) dtcs.setRecording(true, clock.now())
    },
    reboot() {
      ecu.enterSession(SESSION.default)
      const version = programming.activate()
      if (!version) return
      options.node.software = version
      ecu.data.programmingDate = today()
      options.log?.(`${options.identity.vin} ${options.identity.name}: now runs ${version}`)
      options.onSoftwareChanged?.(version)
    }
  }

  let lastRequestAt = clock.now()
  let queue: Promise<void> = Promise.resolve()

  async function serve(request: Uint8Array, send: (response: Uint8Array) => void, functional: boolean): Promise<void> {
    const sid = request[0]
    if (sid === undefined) return
    // S3: a session left without requests has fallen back to default by the time the next one comes.
    if (ecu.session !== SESSION.default && clock.now() - lastRequestAt > settings.s3Ms) ecu.enterSession(SESSION.default)
    lastRequestAt = clock.now()
    let pendingSent = false
    const afterResponse: (() => void)[] = []
    const io: HandlerIo = {
      async busy(ms) {
        for (let left = ms; left > 0;) {
          send(encodeNegativeResponse({ requestSid: sid, nrc: NRC.requestCorrectlyReceivedResponsePending }))
          pendingSent = true
          // Repeat 7F SID 78 well before the tester's P2* runs out.
          const step = Math.min(left, settings.p2StarMs / 2)
          await clock.sleep(step)
          left -= step
        }
      },
      afterResponse: (action) => afterResponse.push(action)
    }
    let response: Uint8Array | undefined
    try {
      const name = serviceNameOf(sid)
      const service = name && SERVICES[name]
      if (!service) throw new Refusal(NRC.serviceNotSupported, `service ${sid} is not offered`)
      if (!service.sessions.includes(ecu.session)) throw new Refusal(NRC.serviceNotSupportedInActiveSession, `service ${sid} is not available in session ${ecu.session}`)
      if (service.secured && security.unlockedLevel === undefined) throw new Refusal(NRC.securityAccessDenied, `service ${sid} needs security access`)
      const decoded = decodeUdsRequest(request)
      const positive = await (service.handler as ServiceHandler<ServiceName>)(decoded as never, ecu, io)
      // After a 7F SID 78 the tester waits for the final answer, so it comes even when suppressed.
      const suppressed = 'suppressPositiveResponse' in decoded && decoded.suppressPositiveResponse && !pendingSent
      response = suppressed ? undefined : encodeUdsResponse(positive)
    } catch (err) {
      const nrc = err instanceof Refusal || err instanceof UdsDecodeError ? err.nrc : NRC.generalReject
      if (nrc === NRC.generalReject) options.log?.(`${options.identity.name}: ${(err as Error).message}`)
      if (!(functional && SILENT_WHEN_FUNCTIONAL.has(nrc))) response = encodeNegativeResponse({ requestSid: sid, nrc })
    }
    if (response) send(response)
    lastRequestAt = clock.now()
    afterResponse.forEach((action) => action())
  }

  const server: EcuServer = {
    address: options.node.logicalAddress,
    name: options.identity.name,
    maxRequestLength: settings.maxNumberOfBlockLength,
    handle(request, send, requestOptions = {}) {
      const run = queue.then(() => serve(request, send, requestOptions.functional ?? false))
      queue = run.catch(() => undefined)
      return run
    },
    async request(request, requestOptions) {
      let final: Uint8Array | undefined
      await server.handle(request, (response) => void (isResponsePending(response) ? undefined : (final = response)), requestOptions)
      return final
    }
  }
  return server
}
