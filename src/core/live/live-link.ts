import mqtt, { type MqttClient } from 'mqtt'
import { JobRollup, FleetRollup } from '../../shared/protocol/messages'
import { matchTopic, topicFor } from '../../shared/protocol/topics'
import { describeError } from '../../shared/errors'
import { mqttTlsOptions, type Credentials } from '../profiles/credentials'
import type { LiveState } from '../../shared/calls/session'
import { CONSOLE_RECONNECT, reconnectWithBackoff } from '../../shared/reconnect'

/**
 * A job rollup as it came off the wire: parsed JSON with its job id, validated later. Only the
 * latest per job reaches the renderer, so the schema check runs on those alone, not on every
 * message of a burst.
 */
export interface RawJobRollup {
  jobId: string
  json: unknown
}

/** The rollups of a batch that are what the protocol says; the rest are dropped. */
export const validJobRollups = (raw: readonly RawJobRollup[]): JobRollup[] =>
  raw.flatMap((r) => {
    const parsed = JobRollup.safeParse(r.json)
    return parsed.success ? [parsed.data] : []
  })

export interface LiveHandlers {
  onJobRollup(rollup: RawJobRollup): void
  onFleetRollup(rollup: FleetRollup): void
  onState(state: LiveState, message: string | null): void
}

/**
 * The console's MQTT session with the backend's broker: it receives the rollups the backend
 * publishes for consoles and reconnects by itself (backing off), saying so. QoS 1, a clean session: after a
 * gap the console asks the HTTPS API for the current state rather than replaying old rollups.
 */
export function connectLiveLink(credentials: Credentials, handlers: LiveHandlers) {
  const { profile, secrets } = credentials
  const client: MqttClient = mqtt.connect(profile.mqttUrl, {
    protocolVersion: 4,
    clientId: `ota-console-${Math.random().toString(16).slice(2, 12)}`,
    username: profile.username || 'console',
    password: secrets.password,
    connectTimeout: 10_000,
    clean: true,
    rejectUnauthorized: true,
    ...mqttTlsOptions(credentials)
  })
  reconnectWithBackoff(client, CONSOLE_RECONNECT)
  let everConnected = false
  handlers.onState('connecting', null)
  client.on('connect', () => {
    everConnected = true
    handlers.onState('connected', null)
    client.subscribe([topicFor('jobRollup'), topicFor('fleetRollup')], { qos: 1 }, (err, granted) => {
      const refused = granted?.filter((g) => g.qos === 128).map((g) => g.topic) ?? []
      if (err || refused.length)
        handlers.onState('connected', `The broker refused live updates for ${refused.join(', ') || 'rollups'}${err ? `: ${err.message}` : ''}; this account may not read them.`)
    })
  })
  client.on('reconnect', () => handlers.onState(everConnected ? 'reconnecting' : 'connecting', null))
  client.on('error', (err) => handlers.onState(everConnected ? 'reconnecting' : 'connecting', `MQTT: ${describeError(err)}`))
  client.on('offline', () => handlers.onState(everConnected ? 'reconnecting' : 'connecting', 'The broker cannot be reached; trying again.'))
  client.on('message', (topic, payload) => {
    const which = matchTopic(topic)?.name
    let json: unknown
    try {
      json = JSON.parse(payload.toString('utf8'))
    } catch {
      return
    }
    if (which === 'jobRollup') {
      const jobId = (json as { jobId?: unknown } | null)?.jobId
      if (typeof jobId === 'string') handlers.onJobRollup({ jobId, json })
    } else if (which === 'fleetRollup') {
      const parsed = FleetRollup.safeParse(json)
      if (parsed.success) handlers.onFleetRollup(parsed.data)
    }
  })
  return {
    close: () => new Promise<void>((resolve) => client.end(true, {}, () => resolve()))
  }
}
export type LiveLink = ReturnType<typeof connectLiveLink>
