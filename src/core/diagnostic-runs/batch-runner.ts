import { setMaxListeners } from 'node:events'
import type { DecodedAnswer } from '../../shared/calls/uds-session'
import type { DiagRunAnswer, EcuSelection } from '../../shared/calls/diagnostic-runs'
import { type ErrorCode, OtaError } from '../../shared/errors'
import { toHex } from '../../shared/uds'
import { toOtaError } from '../uds-session/ota-error'

/** Vehicles asked at once: enough to keep the relay busy, few enough not to flood the backend. */
export const RUN_CONCURRENCY = 16

/** One ECU of a vehicle, as the registry places it. `zonalGateway` is '' for the central gateway. */
export interface RunNode {
  ecu: string
  address: number
  zonalGateway: string
}

/** A vehicle opened for a run: its ECUs and a way to ask them. */
export interface RunVehicle {
  model: string | null
  nodes: readonly RunNode[]
  request(target: number, uds: Uint8Array, signal: AbortSignal): Promise<{ response: Uint8Array | undefined; elapsedMs: number }>
  close(): Promise<void>
}

export interface Failure {
  code: ErrorCode | string
  message: string
}

/** What one vehicle gave: its answers, or why it could not be asked (kept with the answers so far). */
export interface VehicleOutcome {
  vin: string
  model: string | null
  error: Failure | null
  answers: DiagRunAnswer[]
}

export interface BatchOptions {
  vins: readonly string[]
  ecus: EcuSelection
  request: Uint8Array
  open(vin: string, signal: AbortSignal): Promise<RunVehicle>
  decode(response: Uint8Array | undefined): DecodedAnswer
  onVehicle(outcome: VehicleOutcome): void
  signal: AbortSignal
  concurrency?: number
  now?: () => Date
}

/** Errors that no other vehicle would escape: the run stops with them. */
const FATAL: readonly string[] = ['FORBIDDEN', 'AUTH_REJECTED', 'NO_CONNECTION', 'STORE_UNAVAILABLE']

const failureOf = (err: unknown): Failure => {
  const mapped = toOtaError(err)
  return mapped instanceof OtaError ? { code: mapped.code, message: mapped.message } : { code: 'INTERNAL', message: (mapped as Error).message ?? String(mapped) }
}

/**
 * Sends one request to the chosen ECUs of many vehicles, a bounded number of vehicles at a time
 * and each vehicle's ECUs one after another. An ECU that refuses is an answer; a vehicle that
 * cannot be reached (offline, unknown) is an error of that vehicle, and the run goes on; a
 * refusal every vehicle would meet (a role that may not diagnose) ends the run. A cancel stops
 * what is in flight; vehicles not reached are simply not reported.
 */
export async function runBatch(options: BatchOptions): Promise<void> {
  const now = options.now ?? (() => new Date())
  const request = toHex(options.request)
  const wanted = options.ecus === 'all' ? undefined : new Set(options.ecus)
  let fatal: OtaError | undefined
  const stop = new AbortController()
  const signal = AbortSignal.any([options.signal, stop.signal])
  const concurrency = Math.min(options.concurrency ?? RUN_CONCURRENCY, options.vins.length)
  // Every vehicle in flight listens to it through its HTTPS request: more than Node's default of
  // 10 listeners, which it would report as a leak.
  setMaxListeners(Math.max(10, 2 * concurrency), signal)

  async function askVehicle(vin: string): Promise<VehicleOutcome | undefined> {
    const answers: DiagRunAnswer[] = []
    let vehicle: RunVehicle | undefined
    let model: string | null = null
    try {
      vehicle = await options.open(vin, signal)
      model = vehicle.model
      const nodes = wanted ? vehicle.nodes.filter((n) => wanted.has(n.ecu)) : vehicle.nodes
      for (const ecu of wanted ? [...wanted].filter((id) => !vehicle!.nodes.some((n) => n.ecu === id)) : []) {
        answers.push({
          vin,
          ecu,
          zonalGateway: '',
          target: null,
          request,
          response: null,
          decoded: null,
          error: { code: 'NOT_FOUND', message: `${vin} has no ${ecu} in the registry.` },
          elapsedMs: 0,
          at: now().toISOString()
        })
      }
      for (const node of nodes) {
        if (signal.aborted) return undefined
        const base = { vin, ecu: node.ecu, zonalGateway: node.zonalGateway, target: node.address, request }
        try {
          const { response, elapsedMs } = await vehicle.request(node.address, options.request, signal)
          answers.push({ ...base, response: response ? toHex(response) : null, decoded: options.decode(response), error: null, elapsedMs, at: now().toISOString() })
        } catch (err) {
          const failure = failureOf(err)
          // The gateway answered for this ECU (no such node, no answer within its wait): the others may still answer.
          if (failure.code !== 'DIAG_REFUSED') throw err
          answers.push({ ...base, response: null, decoded: null, error: failure, elapsedMs: 0, at: now().toISOString() })
        }
      }
      return signal.aborted ? undefined : { vin, model, error: null, answers }
    } catch (err) {
      const failure = failureOf(err)
      if (failure.code === 'CANCELED' || signal.aborted) return undefined
      if (FATAL.includes(failure.code)) {
        fatal ??= new OtaError(failure.code as ErrorCode, failure.message)
        stop.abort()
        return undefined
      }
      return { vin, model, error: failure, answers }
    } finally {
      await vehicle?.close().catch(() => undefined)
    }
  }

  let next = 0
  const worker = async () => {
    while (next < options.vins.length && !signal.aborted) {
      const outcome = await askVehicle(options.vins[next++]!)
      if (outcome) options.onVehicle(outcome)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  if (fatal) throw fatal
}
