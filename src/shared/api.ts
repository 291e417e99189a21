import type { CallInput, CallName, CallOutput, EventName, EventPayload } from './contract'
import { CALL_NAMES } from './contract'
import type { Result } from './errors'

type Namespace = CallName extends `${infer NS}.${string}` ? NS : never
type MethodArgs<K extends CallName> = undefined extends CallInput<K> ? [input?: CallInput<K>] : [input: CallInput<K>]

/** window.ota, derived from the contract: one method per call, grouped by namespace. */
export type OtaApi = {
  [NS in Namespace]: {
    [K in CallName as K extends `${NS}.${infer M}` ? M : never]: (...args: MethodArgs<K>) => Promise<Result<CallOutput<K>>>
  }
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

/** The two things a transport must do for buildApi: carry a call, and deliver events. */
export interface ApiTransport {
  invoke(channel: CallName, input: unknown): Promise<Result<unknown>>
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void
}

/** Builds a plain object (contextBridge copies objects, so no Proxy) from the call table. */
export function buildApi(transport: ApiTransport): OtaApi {
  const api: Record<string, Record<string, (input?: unknown) => Promise<Result<unknown>>>> = {}
  for (const name of CALL_NAMES) {
    const [ns, method] = name.split('.') as [string, string]
    api[ns] ??= {}
    api[ns][method] = (input?: unknown) => transport.invoke(name, input)
  }
  const on = (event: EventName, listener: (payload: unknown) => void) => transport.subscribe(event, listener)
  return { ...api, on } as unknown as OtaApi
}

/** Keeps event listeners per event name; both the preload and the browser bridge use it. */
export function createListenerRegistry() {
  const byEvent = new Map<string, Set<(payload: unknown) => void>>()
  return {
    add(event: EventName, listener: (payload: unknown) => void) {
      const set = byEvent.get(event) ?? new Set()
      byEvent.set(event, set)
      set.add(listener)
      return () => void set.delete(listener)
    },
    deliver(event: unknown, payload: unknown) {
      if (typeof event !== 'string') return
      for (const listener of byEvent.get(event) ?? []) listener(payload)
    }
  }
}
