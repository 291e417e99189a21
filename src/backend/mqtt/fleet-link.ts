import type { Socket } from 'node:net'
import mqtt, { type ISubscriptionMap } from 'mqtt'
import type { z } from 'zod'
import { matchTopic, QOS, TOPICS, topicFor, type TopicName } from '../../shared/protocol/topics'
import { BACKEND_RECONNECT, reconnectWithBackoff } from '../../shared/reconnect'
import type { Registry } from '../registry/registry'
import { runtimeGroups } from '../../net/tls-groups'
import { checkingServerCertificate, refusedOurOffer } from '../../net/tls-policy'
import type { SignatureAlgorithm } from '../../shared/security-profiles'
import { certificateAlgorithm } from '../tls/ca'

export const ROLLUP_INTERVAL_MS = 500

/** Answers to what one instance asked (a relayed UDS request, a remote flash): every instance hears them. */
const PER_INSTANCE = new Set<TopicName>(['diagResponse', 'flashProgress'])

/**
 * The backend's own MQTT client: it takes presence, version reports and progress into the
 * registry, hands diagnostic answers to the relay, and publishes fleet rollups at most twice a
 * second for consoles.
 */
export async function connectFleetLink(opts: {
  url: string
  clientId: string
  username: string
  password: string
  ca?: string
  registry: Registry
  /** Also told of each progress report (the job engine moves executions with them). */
  onProgress?: (vin: string, progress: z.infer<typeof TOPICS.updateProgress.message>) => Promise<unknown>
  /** Told of each report on a release set's package. */
  onPackageProgress?: (vin: string, progress: z.infer<typeof TOPICS.packageProgress.message>) => Promise<unknown>
  /** Told of the gateways' diagnostic answers: relayed UDS responses and remote flash progress. */
  diag?: {
    onResponse(vin: string, response: z.infer<typeof TOPICS.diagResponse.message>): void
    onFlashProgress(vin: string, progress: z.infer<typeof TOPICS.flashProgress.message>): void
  }
  log: (line: string) => void
  /**
   * Several instances on one external broker: each vehicle report (presence, configuration,
   * progress) reaches exactly one of them, through an MQTT shared subscription of this group.
   * Diagnostic answers still reach every instance: only the one that asked knows the request.
   */
  sharedGroup?: string
  /** What a security profile asks of an external broker: this key exchange only, and a certificate of this algorithm. */
  required?: { group: string; signature: SignatureAlgorithm }
}) {
  const login = {
    protocolVersion: 4 as const,
    username: opts.username,
    password: opts.password,
    ca: opts.ca,
    ...(opts.required ? { ecdhCurve: opts.required.group, checkServerIdentity: presents(opts.required.signature) } : { ecdhCurve: runtimeGroups() })
  }
  // Alone, the backend keeps a session, so reports wait for it while it restarts. One of a group
  // keeps none: the broker would go on dealing reports to a dead instance's session (Mosquitto
  // queues them there), where no one reads them; the live instances take them instead.
  const client = mqtt.connect(opts.url, { ...login, clientId: opts.clientId, clean: opts.sharedGroup !== undefined })
  reconnectWithBackoff(client, BACKEND_RECONNECT)
  // With Nagle's algorithm a small packet waits for the last one's ACK: ~40 ms on each relayed UDS request.
  client.on('connect', () => (client.stream as Partial<Socket>).setNoDelay?.(true))
  await new Promise<void>((resolve, reject) => {
    // Only the first connection's failure ends the link; later errors are the reconnect's to handle.
    const failed = (err: Error) => {
      client.end(true)
      reject(opts.required && refusedOurOffer(err.message) ? handshakeRefused(opts.required.group, err) : err)
    }
    client.once('connect', () => (client.off('error', failed), resolve()))
    client.once('error', failed)
  })
  client.on('error', (err) => opts.log(`mqtt: ${err.message}`))

  let dirty = true
  const handlers: Partial<Record<TopicName, (vin: string, message: unknown) => Promise<void>>> = {
    presence: async (vin, m) => opts.registry.setOnline(vin, (m as z.infer<typeof TOPICS.presence.message>).online),
    config: async (vin, m) => {
      const report = m as z.infer<typeof TOPICS.config.message>
      if (report.vin !== vin) throw new Error(`report for ${report.vin} arrived on ${vin}'s topic`)
      await opts.registry.applyReport(report)
    },
    updateProgress: async (vin, m) => {
      const progress = m as z.infer<typeof TOPICS.updateProgress.message>
      await opts.registry.recordProgress(vin, progress)
      await opts.onProgress?.(vin, progress)
    },
    packageProgress: async (vin, m) => void (await opts.onPackageProgress?.(vin, m as z.infer<typeof TOPICS.packageProgress.message>)),
    diagResponse: async (vin, m) => opts.diag?.onResponse(vin, m as z.infer<typeof TOPICS.diagResponse.message>),
    flashProgress: async (vin, m) => opts.diag?.onFlashProgress(vin, m as z.infer<typeof TOPICS.flashProgress.message>)
  }
  const names = Object.keys(handlers) as TopicName[]
  const shared = (name: TopicName) => opts.sharedGroup !== undefined && !PER_INSTANCE.has(name)
  const wanted = names.map((name) => (shared(name) ? `$share/${opts.sharedGroup}/${topicFor(name, '+')}` : topicFor(name, '+')))
  // resubscribe: sent even when mqtt.js believes the session still holds them.
  // A new map each time: mqtt.js deletes its resubscribe flag.
  const subscribe = () => client.subscribeAsync(Object.assign(Object.fromEntries(wanted.map((topic) => [topic, { qos: QOS }])), { resubscribe: true }) as ISubscriptionMap)
  await subscribe()
  // Again after every reconnect: a broker restored from its persistence may have lost shared
  // subscriptions although it says the session is present (Mosquitto 2.0.11 does), and
  // subscribing twice changes nothing.
  client.on('connect', () => void subscribe().catch((err: Error) => opts.log(`mqtt: subscribing again failed: ${err.message}`)))

  // Messages are handled one at a time, in arrival order, so a report never overtakes a presence.
  let chain = Promise.resolve()
  client.on('message', (topic, payload) => {
    chain = chain.then(async () => {
      const match = matchTopic(topic)
      const handler = match && handlers[match.name]
      if (!match?.vin || !handler) return
      try {
        const parsed = (TOPICS[match.name].message as z.ZodType).safeParse(JSON.parse(payload.toString()))
        if (!parsed.success) return opts.log(`mqtt: ignored a malformed ${match.name} from ${match.vin}: ${parsed.error.issues[0]?.message}`)
        await handler(match.vin, parsed.data)
        dirty = true
      } catch (err) {
        opts.log(`mqtt: ${match.name} from ${match.vin} failed: ${(err as Error).message}`)
      }
    })
  })

  const timer = setInterval(async () => {
    if (!dirty || !client.connected) return
    dirty = false
    const rollup = await opts.registry.rollup()
    client.publish(topicFor('fleetRollup'), JSON.stringify(rollup), { qos: QOS, retain: true })
  }, ROLLUP_INTERVAL_MS)

  return {
    publish: (name: TopicName, vin: string, message: unknown) => client.publishAsync(topicFor(name, vin), JSON.stringify(message), { qos: QOS }),
    settled: () => chain,
    connected: () => client.connected,
    /**
     * Closes the session of a client id on the broker by taking it over and leaving at once: how
     * the backend shuts a revoked vehicle out of an external Mosquitto, which ties each vehicle's
     * client id to its certificate's VIN (use_username_as_clientid).
     */
    async kick(clientId: string) {
      const taker = await mqtt.connectAsync(opts.url, { ...login, clientId, clean: true, reconnectPeriod: 0 })
      await taker.endAsync()
    },
    async close() {
      clearInterval(timer)
      await chain
      await client.endAsync()
    }
  }
}
export type FleetLink = Awaited<ReturnType<typeof connectFleetLink>>

const handshakeRefused = (group: string, err: Error) => {
  const answer = /alert ([a-z ]+)/i.exec(err.message)?.[1] ?? err.message.split('\n')[0]
  return new Error(`completed no TLS handshake offering only the key exchange ${group} (it answered: ${answer}); a Mosquitto linked with OpenSSL 3.0 has no ML-KEM`)
}

/** A certificate check that also refuses a broker whose certificate is not of the profile's algorithm. */
const presents = (signature: SignatureAlgorithm) =>
  checkingServerCertificate((certificate) => {
    const actual = certificateAlgorithm(certificate)
    return actual === signature ? undefined : new Error(`presents a ${actual} certificate; the profile asks for ${signature}`)
  })
