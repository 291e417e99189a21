import type { EventName, EventPayload } from '../../shared/contract'

export type EventListener = (event: EventName, payload: unknown) => void

/** Fans core events out to every connected renderer, whatever its transport. */
export function createEventHub() {
  const listeners = new Set<EventListener>()
  return {
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      for (const listener of listeners) listener(event, payload)
    },
    subscribe(listener: EventListener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    }
  }
}
export type EventHub = ReturnType<typeof createEventHub>
