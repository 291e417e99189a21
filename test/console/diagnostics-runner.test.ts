import { describe, expect, it } from 'vitest'
import { describeAnswer } from '../../src/core/uds-session/answer'
import { DiagError } from '../../src/core/uds-session/errors'
import { RUN_CONCURRENCY, runBatch, type RunVehicle, type VehicleOutcome } from '../../src/core/diagnostic-runs/batch-runner'
import { OtaError } from '../../src/shared/errors'
import { BUILTIN_DID_CATALOG, fromHex } from '../../src/shared/uds'

const vins = Array.from({ length: 40 }, (_, i) => `SMVTEST0000${String(i).padStart(6, '0')}`)
const tick = () => new Promise((resolve) => setTimeout(resolve, 2))

/** Vehicles that answer every request with a positive 3E answer after a moment, counting how many are open at once. */
function vehicles(behaviour: (vin: string, target: number) => Uint8Array | Error = () => fromHex('7E00')) {
  let open = 0
  let peak = 0
  return {
    peak: () => peak,
    open: async (vin: string): Promise<RunVehicle> => {
      open++
      peak = Math.max(peak, open)
      await tick()
      return {
        model: 'model_a',
        nodes: [
          { ecu: 'GATEWAY', address: 0x0e00, zonalGateway: '' },
          { ecu: 'ECU_001', address: 0x1001, zonalGateway: 'ZGW_01' }
        ],
        async request(target) {
          await tick()
          const answer = behaviour(vin, target)
          if (answer instanceof Error) throw answer
          return { response: answer, elapsedMs: 2 }
        },
        close: async () => void open--
      }
    }
  }
}

const run = (fleet: ReturnType<typeof vehicles>, signal = new AbortController().signal, reported: (o: VehicleOutcome) => void = () => {}) => {
  const outcomes: VehicleOutcome[] = []
  const onVehicle = (o: VehicleOutcome) => (outcomes.push(o), reported(o))
  const done = runBatch({ vins, ecus: 'all', request: fromHex('3E00'), open: fleet.open, decode: (r) => describeAnswer(r, BUILTIN_DID_CATALOG), onVehicle, signal })
  return { outcomes, done }
}

// The batch runner's rules, over stand-in vehicles (the real relay is in diagnostics.test.ts):
// how many vehicles at once, which failures belong to an ECU, a vehicle or the whole run.
describe('batch runner', () => {
  it(`asks at most ${RUN_CONCURRENCY} vehicles at once and reports every one`, async () => {
    const fleet = vehicles()
    const { outcomes, done } = run(fleet)
    await done
    expect(fleet.peak()).toBe(RUN_CONCURRENCY)
    expect(outcomes.map((o) => o.vin).sort()).toEqual(vins)
    expect(outcomes.every((o) => o.error === null && o.answers.length === 2 && o.answers.every((a) => a.decoded?.kind === 'positive'))).toBe(true)
  })

  it('keeps going past an ECU the gateway answers for and a vehicle that cannot be reached; a refused role ends the run', async () => {
    const refusedEcu = new DiagError({ kind: 'relay', reason: 'no response within 5000 ms' }, 'The gateway answered: no response within 5000 ms')
    const fleet = vehicles((vin, target) => (vin === vins[3] ? new OtaError('TIMEOUT', `Vehicle ${vin} is offline`) : target === 0x1001 ? refusedEcu : fromHex('7E00')))
    const { outcomes, done } = run(fleet)
    await done
    const offline = outcomes.find((o) => o.vin === vins[3])!
    expect(offline).toMatchObject({ error: { code: 'TIMEOUT', message: `Vehicle ${vins[3]} is offline` }, answers: [] })
    const other = outcomes.find((o) => o.vin === vins[4])!
    expect(other.error).toBeNull()
    expect(other.answers.map((a) => [a.ecu, a.decoded?.kind ?? a.error?.code])).toEqual([
      ['GATEWAY', 'positive'],
      ['ECU_001', 'DIAG_REFUSED']
    ])

    const forbidden = run(vehicles(() => new OtaError('FORBIDDEN', 'Role viewer may not diag.run; it needs admin or operator')))
    await expect(forbidden.done).rejects.toThrow('Role viewer may not diag.run')
    expect(forbidden.outcomes).toEqual([])
  })

  it('stops on cancel: vehicles in flight or not reached are not reported', async () => {
    const controller = new AbortController()
    const fleet = vehicles()
    // Canceled the moment the first vehicle is reported, with the next ones already in flight.
    const { outcomes, done } = run(fleet, controller.signal, () => controller.abort())
    await done
    expect(outcomes.map((o) => o.vin)).toHaveLength(1)
    expect(fleet.peak()).toBe(RUN_CONCURRENCY)
  })
})
