import { describe, expect, it } from 'vitest'
import type { CallHandlers } from '../../shared/contract'
import { createDispatcher } from './dispatch'
import { createEventHub } from './event-hub'

// In development and tests the core checks what it sends as well as what it receives: a handler
// or an event that drifts from the contract is caught where it happens, with the field named.
describe('the contract checks of answers and events', () => {
  const handlers = {
    'settings.get': async () => ({ language: 'klingon', theme: 'dark' })
  } as unknown as CallHandlers

  it('refuses an answer outside the contract when checking, and names the field', async () => {
    const logged: string[] = []
    const checked = createDispatcher(handlers, (line) => logged.push(line), { checkOutputs: true })
    const result = await checked('settings.get', undefined)
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringMatching(/^settings\.get answered outside the contract: \w+/) } })
    expect(logged).toEqual([expect.stringContaining('settings.get answered outside the contract')])
    // Without the check (the packaged app) the answer passes as the handler gave it.
    expect(await createDispatcher(handlers, () => {})('settings.get', undefined)).toMatchObject({ ok: true })
  })

  it('does not deliver an event outside the contract when checking, and says why', () => {
    const logged: string[] = []
    const hub = createEventHub({ checkPayloads: true, log: (line) => logged.push(line) })
    const got: unknown[] = []
    hub.subscribe((_event, payload) => got.push(payload))
    hub.emit('audit.exportProgress', { exportId: 'x', rows: 'many' } as never)
    hub.emit('audit.exportProgress', { exportId: 'x', rows: 3 })
    expect(got).toEqual([{ exportId: 'x', rows: 3 }])
    expect(logged).toEqual([expect.stringMatching(/^event audit\.exportProgress left outside the contract, not delivered: rows: /)])
  })
})
