import { z } from 'zod'
import { ConnectionTestResult, ProfileDraft, ProfileId, ProfileList, ProfileUpdate, ProfileView } from './profile'
import { SandboxFailureRate, SandboxStatus } from './sandbox'
import { AppStatus, Settings, SettingsPatch } from './settings'
import { auditCalls, auditEvents } from './calls/audit'
import { bundleCalls, bundleEvents } from './calls/bundles'
import { call } from './calls/call'
import { campaignCalls, campaignEvents } from './calls/campaigns'
import { certificateCalls } from './calls/certificates'
import { diagCalls, diagEvents } from './calls/uds-session'
import { diagnosticsCalls, diagnosticsEvents } from './calls/diagnostic-runs'
import { firmwareCalls, firmwareEvents } from './calls/firmware'
import { fleetCalls, fleetEvents } from './calls/fleet'
import { sessionCalls, sessionEvents } from './calls/session'

const ById = z.object({ id: ProfileId }).strict()

/**
 * Every call between the renderer and the core, declared once. The preload, the IPC binding,
 * the WebSocket host and the browser bridge are all derived from this table. A name is
 * "namespace.method"; it becomes window.ota.namespace.method(input). Each feature declares its
 * calls in src/shared/calls/; this is the whole table.
 */
export const calls = {
  'app.status': call(z.void(), AppStatus),
  'settings.get': call(z.void(), Settings),
  'settings.update': call(SettingsPatch, Settings),
  'profiles.list': call(z.void(), ProfileList),
  'profiles.create': call(ProfileDraft, ProfileView),
  'profiles.update': call(ProfileUpdate, ProfileView),
  'profiles.duplicate': call(ById, ProfileView),
  'profiles.delete': call(ById, z.void()),
  'profiles.setActive': call(z.object({ id: ProfileId.nullable() }).strict(), z.void()),
  'profiles.testConnection': call(ById, ConnectionTestResult),
  'sandbox.status': call(z.void(), SandboxStatus),
  'sandbox.start': call(z.void(), SandboxStatus),
  'sandbox.stop': call(z.void(), SandboxStatus),
  'sandbox.reset': call(z.void(), SandboxStatus),
  /** Restarts a running sandbox with its vehicles failing this share of updates. */
  'sandbox.setFailureRate': call(SandboxFailureRate, SandboxStatus),
  ...sessionCalls,
  ...fleetCalls,
  ...firmwareCalls,
  ...campaignCalls,
  ...auditCalls,
  ...certificateCalls,
  ...bundleCalls,
  ...diagCalls,
  ...diagnosticsCalls
}

/** Every event the core pushes to the renderer. */
export const events = {
  'profiles.changed': ProfileList,
  'settings.changed': Settings,
  'sandbox.changed': SandboxStatus,
  ...sessionEvents,
  ...fleetEvents,
  ...firmwareEvents,
  ...campaignEvents,
  ...auditEvents,
  ...bundleEvents,
  ...diagEvents,
  ...diagnosticsEvents
}

export type Calls = typeof calls
export type CallName = keyof Calls
export type CallInput<K extends CallName> = z.input<Calls[K]['input']>
export type CallOutput<K extends CallName> = z.output<Calls[K]['output']>
export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<E extends EventName> = z.output<Events[E]>

export const CALL_NAMES = Object.keys(calls) as CallName[]

export const isCallName = (name: unknown): name is CallName => typeof name === 'string' && Object.hasOwn(calls, name)

/** Names of the transports' channels; the contract above travels inside them. */
export const IPC_CALL_CHANNEL = 'ota:call'
export const IPC_EVENT_CHANNEL = 'ota:event'

/** What a handler receives: the input after the contract has parsed (and trimmed) it. */
export type CallArgs<K extends CallName> = z.output<Calls[K]['input']>

/** The core implements one handler per call. */
export type CallHandlers = {
  [K in CallName]: (args: CallArgs<K>) => CallOutput<K> | Promise<CallOutput<K>>
}
