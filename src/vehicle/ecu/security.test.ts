import { describe, expect, it } from 'vitest'
import { ask, keyFor, SEED, testVehicle } from '../../../test/vehicle/harness'

const seedHex = '12 34 56 78'
const wrongKey = '00 00 00 00'

describe('ECU security access (0x27) with the demo seed/key algorithm', () => {
  it('unlocks with the right key, answers a zero seed once unlocked, and checks the order', async () => {
    const { ecu } = testVehicle()
    expect(await ask(ecu, '27 01')).toBe('7F 27 7F')
    await ask(ecu, '10 03')
    expect(await ask(ecu, '27 02 01 02 03 04')).toBe('7F 27 24')
    expect(await ask(ecu, '27 03')).toBe('7F 27 12')
    expect(await ask(ecu, '27 02')).toBe('7F 27 13')
    expect(await ask(ecu, '27 01')).toBe(`67 01 ${seedHex}`)
    expect(await ask(ecu, `27 02 ${keyFor(SEED)}`)).toBe('67 02')
    expect(await ask(ecu, '27 01')).toBe('67 01 00 00 00 00')
    // A session change locks it again.
    await ask(ecu, '10 03')
    expect(await ask(ecu, '27 01')).toBe(`67 01 ${seedHex}`)
  })

  it('counts wrong keys: invalidKey, then exceedNumberOfAttempts, then requiredTimeDelayNotExpired until the delay passes, also across a reset', async () => {
    const { ecu, clock } = testVehicle({ securityDelayMs: 10_000 })
    await ask(ecu, '10 03')
    for (const expected of ['7F 27 35', '7F 27 35', '7F 27 36']) {
      expect(await ask(ecu, '27 01')).toBe(`67 01 ${seedHex}`)
      expect(await ask(ecu, `27 02 ${wrongKey}`)).toBe(expected)
    }
    expect(await ask(ecu, '27 01')).toBe('7F 27 37')
    expect(await ask(ecu, `27 02 ${keyFor(SEED)}`)).toBe('7F 27 37')
    // Rebooting does not buy more guesses.
    expect(await ask(ecu, '11 01')).toBe('51 01')
    clock.advance(9_000)
    await ask(ecu, '10 03')
    expect(await ask(ecu, '27 01')).toBe('7F 27 37')
    clock.advance(1_000)
    expect(await ask(ecu, '27 01')).toBe(`67 01 ${seedHex}`)
    expect(await ask(ecu, `27 02 ${keyFor(SEED)}`)).toBe('67 02')
  })

  it('wants a new seed after a wrong key', async () => {
    const { ecu } = testVehicle()
    await ask(ecu, '10 03')
    await ask(ecu, '27 01')
    expect(await ask(ecu, `27 02 ${keyFor(SEED)} 00`)).toBe('7F 27 35')
    expect(await ask(ecu, `27 02 ${keyFor(SEED)}`)).toBe('7F 27 24')
  })
})
