import type { z } from 'zod'
import {
  CertificateRenew,
  DiagRequest,
  DiagResponse,
  FlashProgressReport,
  FlashRequest,
  FleetRollup,
  JobRollup,
  Presence,
  PackageProgress,
  UpdateNotify,
  UpdatePackage,
  UpdateProgress,
  VersionReport
} from './messages'

/**
 * Every MQTT topic of the device protocol, its direction and its message: one table for the
 * backend, the simulated vehicles, the broker's authorization (Aedes and the Mosquitto ACL),
 * and docs/protocol.md. All QoS 1; MQTT 3.1.1 is enough.
 */
export const PREFIX = 'ota/v1'

type Direction = 'vehicle-to-backend' | 'backend-to-vehicle' | 'backend-to-console'

interface TopicSpec {
  pattern: string
  direction: Direction
  retained: boolean
  message: z.ZodType
  summary: string
}

export const TOPICS = {
  presence: {
    pattern: `${PREFIX}/vehicles/{vin}/presence`,
    direction: 'vehicle-to-backend',
    retained: true,
    message: Presence,
    summary: 'Online state; the last will says offline'
  },
  config: {
    pattern: `${PREFIX}/vehicles/{vin}/config`,
    direction: 'vehicle-to-backend',
    retained: true,
    message: VersionReport,
    summary: 'Version report: gateway, zonal gateways, ECUs'
  },
  updateNotify: {
    pattern: `${PREFIX}/vehicles/{vin}/update/notify`,
    direction: 'backend-to-vehicle',
    retained: false,
    message: UpdateNotify,
    summary: 'An update waits for this vehicle'
  },
  updateProgress: {
    pattern: `${PREFIX}/vehicles/{vin}/update/progress`,
    direction: 'vehicle-to-backend',
    retained: false,
    message: UpdateProgress,
    summary: 'Progress steps of an update, and its failure cause'
  },
  updatePackage: {
    pattern: `${PREFIX}/vehicles/{vin}/update/package`,
    direction: 'backend-to-vehicle',
    retained: false,
    message: UpdatePackage,
    summary: 'A release set: one package per zonal gateway, with install order and requirements'
  },
  packageProgress: {
    pattern: `${PREFIX}/vehicles/{vin}/update/package/progress`,
    direction: 'vehicle-to-backend',
    retained: false,
    message: PackageProgress,
    summary: "A package's state by ECU; the ECU that failed and why, once all are rolled back"
  },
  diagRequest: {
    pattern: `${PREFIX}/vehicles/{vin}/diag/request`,
    direction: 'backend-to-vehicle',
    retained: false,
    message: DiagRequest,
    summary: 'Raw UDS for one ECU, relayed by the gateway'
  },
  diagResponse: {
    pattern: `${PREFIX}/vehicles/{vin}/diag/response`,
    direction: 'vehicle-to-backend',
    retained: false,
    message: DiagResponse,
    summary: "The ECU's UDS answer, by correlation id"
  },
  flashRequest: {
    pattern: `${PREFIX}/vehicles/{vin}/diag/flash/request`,
    direction: 'backend-to-vehicle',
    retained: false,
    message: FlashRequest,
    summary: 'Start (or abort) a remote flash the gateway runs locally against one ECU'
  },
  flashProgress: {
    pattern: `${PREFIX}/vehicles/{vin}/diag/flash/progress`,
    direction: 'vehicle-to-backend',
    retained: false,
    message: FlashProgressReport,
    summary: "A remote flash's steps, bytes, speed and ETA, and its end"
  },
  certificateRenew: {
    pattern: `${PREFIX}/vehicles/{vin}/certificate/renew`,
    direction: 'backend-to-vehicle',
    retained: false,
    message: CertificateRenew,
    summary: 'Renew the device certificate now: an operator forced it'
  },
  fleetRollup: { pattern: `${PREFIX}/rollups/fleet`, direction: 'backend-to-console', retained: true, message: FleetRollup, summary: 'Fleet counts, at most twice a second' },
  jobRollup: {
    pattern: `${PREFIX}/rollups/jobs`,
    direction: 'backend-to-console',
    retained: false,
    message: JobRollup,
    summary: "A job's counts by state, wave and failure cause, rate and ETA, at most twice a second per job"
  }
} as const satisfies Record<string, TopicSpec>
export type TopicName = keyof typeof TOPICS

export const topicFor = (name: TopicName, vin = '') => TOPICS[name].pattern.replace('{vin}', vin)

/** Which topic a concrete topic string is, and for which vehicle. */
export function matchTopic(topic: string): { name: TopicName; vin?: string } | undefined {
  for (const [name, spec] of Object.entries(TOPICS) as [TopicName, TopicSpec][]) {
    const re = new RegExp(`^${spec.pattern.replace(/[.+?^$()[\]\\|]/g, '\\$&').replace('{vin}', '([A-HJ-NPR-Z0-9]{17})')}$`)
    const m = re.exec(topic)
    if (m) return { name, vin: m[1] }
  }
  return undefined
}

export const QOS = 1 as const
