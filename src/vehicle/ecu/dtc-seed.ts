import type { Random } from '../random'
import type { DtcDefinition } from './dtc-memory'

/** SAE J2012 failure types that read plausibly: general, circuit short/open, signal invalid, missing message. */
const FAILURE_TYPES = [0x00, 0x11, 0x12, 0x13, 0x1c, 0x29, 0x62, 0x87]
/** From a fault the monitor finds every cycle to one it finds now and then. */
const FAIL_CHANCES = [0.95, 0.6, 0.3, 0.1]

/**
 * Two to four DTCs for one ECU, the same for the same seed (the VIN and the ECU's address): one
 * network (U) code, as every ECU on a bus has them, and body, chassis or powertrain codes.
 */
export function seedDtcDefinitions(random: Random): DtcDefinition[] {
  const count = random.int(2, 4)
  const used = new Set<number>()
  const definitions: DtcDefinition[] = []
  while (definitions.length < count) {
    // Letter bits: 00 P, 01 C, 10 B, 11 U; the first is a network code.
    const letter = definitions.length === 0 ? 3 : random.int(0, 2)
    const code = (letter << 14) | (random.int(0, 1) << 12) | random.int(0x100, 0xfff)
    const dtc = (code << 8) | random.pick(FAILURE_TYPES)
    if (used.has(dtc)) continue
    used.add(dtc)
    definitions.push({ dtc, failChance: random.pick(FAIL_CHANCES), warning: random.chance(0.3), testAt: 0.1 + random.next() * 0.8 })
  }
  return definitions
}
