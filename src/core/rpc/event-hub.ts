import { events, type EventName, type EventPayload } from '../../shared/contract'
import { describeIssues } from '../../shared/errors'

export type EventListener = (event: EventName, payload: unknown) => void

/**
 * Fans core events out to every connected renderer, whatever its transport. With checkPayloads
 * (development and tests) a payload outside the contract is logged and not delivered.
 */
export function createEventHub({ checkPayloads = false, log = (_line: string) => {} } = {}) {
  const listeners = new Set<EventListener>()
  return {
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      if (checkPayloads) {
        const parsed = events[event].safeParse(payload)
        if (!parsed.success) return log(`event ${event} left outside the contract, not delivered: ${describeIssues(parsed.error)}`)
      }
      for (const listener of listeners) listener(event, payload)
    },
    subscribe(listener: EventListener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    }
  }
}
export type EventHub = ReturnType<typeof createEventHub>
