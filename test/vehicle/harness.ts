import { demoXorRotateKey, fromHex, toHex } from '../../src/shared/uds'
import type { EcuClock } from '../../src/vehicle/ecu/clock'
import type { EcuSettings } from '../../src/vehicle/ecu/context'
import { createEcuNetwork } from '../../src/vehicle/ecu/network'
import type { EcuServer } from '../../src/vehicle/ecu/server'
import { vehicleSpec } from '../../src/vehicle/fleet-spec'
import { seeded } from '../../src/vehicle/random'

/** A clock a test moves by hand; an ECU's slow work (sleep) moves it at once. */
export function manualClock(start = Date.UTC(2025, 0, 15, 8)) {
  let t = start
  const clock: EcuClock & { advance(ms: number): void } = {
    now: () => t,
    sleep: async (ms) => void (t += ms),
    advance: (ms) => void (t += ms)
  }
  return clock
}

export const SEED = Uint8Array.of(0x12, 0x34, 0x56, 0x78)

/** One model_a vehicle (seed 1) with three ECUs at 0x1001-0x1003, on a manual clock, with a fixed security seed. */
export function testVehicle(settings: Partial<EcuSettings> = {}, onSoftwareChanged?: (ecu: string, version: string) => void) {
  const clock = manualClock()
  const config = structuredClone(vehicleSpec(seeded(1), 0, ['model_a'], 3).config)
  const network = createEcuNetwork({ config, clock, settings, seedBytes: () => SEED.slice(), onSoftwareChanged })
  return { clock, config, network, ecu: network.server(0x1001)!, gateway: network.server(network.gatewayAddress)! }
}

/** Sends hex, answers the final response in spaced hex ('' when none is sent). */
export async function ask(server: EcuServer, request: string): Promise<string> {
  const response = await server.request(fromHex(request))
  return response ? toHex(response, ' ') : ''
}

/** Every frame the server sends for one request, in spaced hex. */
export async function frames(server: EcuServer, request: string): Promise<string[]> {
  const sent: string[] = []
  await server.handle(fromHex(request), (response) => sent.push(toHex(response, ' ')))
  return sent
}

export const keyFor = (seed: Uint8Array, level = 1) => toHex(demoXorRotateKey(seed, level), ' ')

/** Enters `session` (hex byte) and unlocks level 1. */
export async function unlock(server: EcuServer, session = '03') {
  await ask(server, `10 ${session}`)
  const seed = fromHex((await ask(server, '27 01')).slice(6))
  const answer = await ask(server, `27 02 ${keyFor(seed)}`)
  if (answer !== '67 02') throw new Error(`unlock failed: ${answer}`)
}
