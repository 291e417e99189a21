import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { VehicleCredentials as CredentialsSchema } from '../shared/fleet/device'
import { xwingKeyPair } from '../crypto/xwing'
import { BackendRefusal } from '../shared/http/client'
import { SignedRoot } from '../shared/tuf/metadata'
import type { FailureCause } from '../shared/protocol/messages'
import { backendClient } from './backend-client'
import { type DoipListenOptions, startDoipEntities } from './doip/entities'
import { vehicleSpec } from './fleet-spec'
import { seeded } from './random'
import { createVehicle, type HealthFaultOptions, type Vehicle, type VehicleCredentials } from './vehicle'

export interface FleetOptions {
  backendUrl: string
  mqttUrl: string
  ca: string
  /** An operator or admin token, to register the vehicles on first run. */
  token: string
  count: number
  models: string[]
  ecus: number
  failureRate: number
  offlineRate: number
  /** Installs that go well and then turn unhealthy in the health window (see HEALTH_FAULTS). */
  healthFault?: HealthFaultOptions
  /** ECUs whose installs fail, in every vehicle, with this cause (a release set then rolls back). */
  ecuFaults?: Record<string, FailureCause>
  /** Share of soft (consent) updates drivers refuse. */
  consentRefusalRate?: number
  deferral?: { rate: number; forMs: number }
  seed: number
  /** Keeps each vehicle's credentials (0600) so a rerun with the same seed is the same fleet. */
  stateDir?: string
  /** Require the ML-DSA-65 half of the hybrid target signature. */
  pq: boolean
  /** Ask for updates on start and every this many ms (0: only on start and on notification). */
  pollMs: number
  mqttVersion?: 4 | 5
  /**
   * Also give vehicles a DoIP entity, vehicle i on port + i: every vehicle, or only the first
   * `vehicles` (each entity holds a TCP and a UDP socket, too many for a large fleet on one host).
   */
  doip?: DoipListenOptions & { vehicles?: number }
  log: (line: string) => void
}

export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i]!, i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

/** What --state keeps per VIN: the credentials the backend gave once, at registration. */
const SavedFleet = z.record(
  z.string(),
  z.object({
    credential: CredentialsSchema.shape.credential,
    kemSeed: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'not a 32-byte key in base64'),
    identity: z.object({ keyPem: z.string().includes('PRIVATE KEY'), certPem: z.string().includes('CERTIFICATE') }).optional()
  })
)

function readState(file: string) {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new Error(`${file} is not the fleet state this simulator writes (not JSON: ${(err as Error).message}); pass another --state DIR or --seed`, { cause: err })
  }
  const parsed = SavedFleet.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`${file} is not the fleet state this simulator writes (${issue?.path.join('.') || 'file'}: ${issue?.message}); pass another --state DIR or --seed`)
  }
  return parsed.data
}

/** Runs a simulated fleet in this process: registers it if needed, connects it, keeps it asking for updates. */
export async function startFleet(opts: FleetOptions) {
  const backend = backendClient(opts.backendUrl, opts.ca)
  // The simulator takes root v1 from the backend at provisioning, as a factory would flash it.
  const provisioning = backend.api(opts.token)
  const trustedRoot = SignedRoot.parse(await provisioning.tuf.metadata({ file: '1.root.json' }))
  const pqPublicKey = opts.pq ? (await provisioning.tuf.pqKey()).publicKey : undefined
  const random = seeded(opts.seed)
  const specs = Array.from({ length: opts.count }, (_, i) => vehicleSpec(random, i, opts.models, opts.ecus))
  const stateFile = opts.stateDir && join(opts.stateDir, `fleet-${opts.seed}.json`)
  const saved: Record<string, VehicleCredentials> = stateFile && existsSync(stateFile) ? readState(stateFile) : {}

  const credentials = await mapLimit(specs, 16, async (spec) => {
    if (saved[spec.vin]) return saved[spec.vin]!
    try {
      // The key pair is made here, on the vehicle; only its public half goes to the backend.
      const kem = xwingKeyPair()
      const made = await provisioning.vehicles.register({
        vin: spec.vin,
        model: spec.model,
        region: spec.region,
        timeZone: spec.timeZone,
        tags: spec.tags,
        kemPublicKey: kem.publicKey.toString('base64')
      })
      return (saved[spec.vin] = { credential: made.credential, kemSeed: kem.seed.toString('base64') })
    } catch (err) {
      if (err instanceof BackendRefusal && err.status === 409) {
        throw new Error(`${spec.vin} is already registered but its credentials are not kept here: pass --state DIR (the one used before) or another --seed`, { cause: err })
      }
      throw err
    }
  })
  const save = () => {
    if (!stateFile) return
    mkdirSync(opts.stateDir!, { recursive: true, mode: 0o700 })
    writeFileSync(stateFile, JSON.stringify(saved), { mode: 0o600 })
  }
  save()
  // Enrolments and renewals are kept within a moment, many to one write: a certificate the
  // simulator forgot would strand its vehicle (its enrolment credential is spent).
  let pendingSave: NodeJS.Timeout | undefined
  const saveSoon = () => void (pendingSave ??= setTimeout(() => ((pendingSave = undefined), save()), 200))

  const vehicles: Vehicle[] = specs.map((spec, i) =>
    createVehicle({
      spec,
      credentials: credentials[i]!,
      backend,
      mqttUrl: opts.mqttUrl,
      ca: opts.ca,
      trustedRoot,
      pqPublicKey,
      random: seeded(opts.seed * 7919 + i),
      failureRate: opts.failureRate,
      consentRefusalRate: opts.consentRefusalRate,
      deferral: opts.deferral,
      healthFault: opts.healthFault,
      ecuFaults: opts.ecuFaults,
      mqttVersion: opts.mqttVersion,
      onIdentity: (identity) => {
        saved[spec.vin] = { ...credentials[i]!, identity }
        saveSoon()
      },
      log: opts.log
    })
  )
  const entities = opts.doip
    ? await startDoipEntities(
        vehicles.slice(0, opts.doip.vehicles).map((v) => v.diagnostics()),
        opts.doip
      )
    : []
  const timers: NodeJS.Timeout[] = []
  const bringUp = async (v: Vehicle) => {
    await v.connect()
    await v.checkForUpdates().catch(() => undefined)
    if (opts.pollMs > 0) timers.push(setInterval(() => void v.checkForUpdates().catch(() => undefined), opts.pollMs + random.int(0, opts.pollMs / 2)))
  }
  const offline = new Set(vehicles.filter(() => random.chance(opts.offlineRate)))
  await mapLimit(
    vehicles.filter((v) => !offline.has(v)),
    32,
    bringUp
  )
  // Vehicles parked without signal come online a little later.
  for (const v of offline) timers.push(setTimeout(() => void bringUp(v).catch((err: Error) => opts.log(`${v.spec.vin}: ${err.message}`)), random.int(2000, 10_000)))

  return {
    vehicles,
    offline: [...offline].map((v) => v.spec.vin),
    entities,
    async stop() {
      timers.forEach((t) => clearTimeout(t))
      await Promise.all(entities.map((e) => e.close()))
      await mapLimit(vehicles, 64, (v) => v.disconnect())
      backend.close()
      clearTimeout(pendingSave)
      save()
    }
  }
}
