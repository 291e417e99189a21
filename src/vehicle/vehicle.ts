import { createHash } from 'node:crypto'
import type { Socket } from 'node:net'
import mqtt, { type MqttClient } from 'mqtt'
import semver from 'semver'
import type { OfferedUpdate } from '../shared/fleet/device'
import { absentOn404 } from '../shared/http/client'
import { OtaError } from '../shared/errors'
import {
  CertificateRenew as CertificateRenewSchema,
  UpdateNotify as UpdateNotifySchema,
  UpdatePackage as UpdatePackageSchema,
  type EcuReport,
  type FailureCause,
  type UpdateNotify,
  type UpdateProgress
} from '../shared/protocol/messages'
import { QOS, topicFor } from '../shared/protocol/topics'
import { reconnectWithBackoff, VEHICLE_RECONNECT } from '../shared/reconnect'
import type { SignedRoot } from '../shared/tuf/metadata'
import type { BackendClient } from './backend-client'
import { relayDiagRequest } from './diag-relay'
import { createEcuNetwork, type EcuNetwork } from './ecu/network'
import { createFlashRunner } from './flash-runner'
import type { VehicleSpec } from './fleet-spec'
import type { Random } from './random'
import { createTufClient, VerificationError } from './tuf-client'
import { unseal } from './unseal'
import { DataKeyError, unwrapDataKey } from '../crypto/data-key'
import { vehicleDataKeyContext } from '../shared/data-key'
import { runtimeGroups } from '../net/tls-groups'
import { certificateSerial, renewalDue, requestFor, type DeviceIdentity } from './identity'
import { applyDelta } from '../delta/image-delta'
import { createPackageInstaller } from './package-installer'

export interface VehicleCredentials {
  /** The one-time enrolment credential registration answered: spent on the first certificate. */
  credential: string
  /** The gateway's X-Wing private key (32 bytes, base64): made on the vehicle, never sent anywhere. */
  kemSeed: string
  /** The device certificate and the key made for it, once enrolled. */
  identity?: DeviceIdentity
}

export interface VehicleOptions {
  spec: VehicleSpec
  credentials: VehicleCredentials
  backend: BackendClient
  mqttUrl: string
  ca: string
  trustedRoot: SignedRoot
  /** When set, targets must also carry a valid ML-DSA-65 signature (hybrid classical + PQ). */
  pqPublicKey?: string
  random: Random
  failureRate: number
  /** Share of soft (consent) updates the driver refuses. */
  consentRefusalRate?: number
  /** Share of soft updates the driver postpones (once per job), and for how long. */
  deferral?: { rate: number; forMs: number }
  chunkBytes?: number
  /** Told of each new device certificate (enrolment, renewal), to keep it with the credentials. */
  onIdentity?: (identity: DeviceIdentity) => void
  /** MQTT 3.1.1 (4, the default) or 5: the protocol works the same on either. */
  mqttVersion?: 4 | 5
  /** After an install that went well, how often the updated ECU turns unhealthy, how, and how soon. */
  healthFault?: HealthFaultOptions
  /** ECUs that fail their install with this cause (a release set's rollback is tried with one). */
  ecuFaults?: Record<string, FailureCause>
  /** The vehicle's clock (a test moves it to show a frozen, expired timestamp being refused). */
  now?: () => number
  log?: (line: string) => void
}

/**
 * What goes wrong after a good install, in the job's health window: the self-test after boot
 * fails, the ECU falls back to its previous image, a confirmed DTC appears on it, or the vehicle
 * drops off the network and stays away.
 */
export const HEALTH_FAULTS = ['self-test', 'rollback', 'dtc', 'offline'] as const
export type HealthFault = (typeof HEALTH_FAULTS)[number]
export interface HealthFaultOptions {
  kind: HealthFault
  rate: number
  afterMs: number
}

/** Failures a vehicle can be told to have; the first three are injected where they really happen. */
export const INJECTED_CAUSES: readonly FailureCause[] = ['download-interrupted', 'hash-mismatch', 'signature-invalid', 'install-error', 'consent-refused', 'low-battery']

/** The backend could not be reached or did not answer in time: the download, not the install, failed. */
const unreachable = (err: unknown) => err instanceof OtaError && (err.code === 'BACKEND_UNREACHABLE' || err.code === 'TIMEOUT')

class UpdateFailed extends Error {
  constructor(
    override readonly cause: FailureCause,
    message: string
  ) {
    super(message)
  }
}

/**
 * One simulated vehicle: a gateway with zonal gateways and ECUs. It reports its configuration,
 * asks for updates, downloads with Range, verifies TUF metadata, sha256 and signatures, decrypts
 * with the data key wrapped to its own X-Wing key, refuses rollbacks, reports each step, reboots and reports its new versions.
 */
export function createVehicle(opts: VehicleOptions) {
  const { spec, credentials } = opts
  const kemSeed = Buffer.from(credentials.kemSeed, 'base64')
  // The device certificate on the connection is the vehicle's identity; no token travels.
  let identity = credentials.identity
  let device = identity ? opts.backend.device(identity) : undefined
  const api = () => {
    if (!device) throw new Error(`${spec.vin} has no device certificate yet: it enrols when it connects`)
    return device.api
  }
  const config = structuredClone(spec.config)
  // An injected "signature invalid" alters the next targets metadata in transit, as an attacker would.
  let tamperTargets = false
  const fetchMetadata = async (file: string) => {
    const metadata = await api().tuf.metadata({ file }).catch(absentOn404)
    if (!tamperTargets || !metadata || !file.endsWith('.targets.json')) return metadata
    tamperTargets = false
    const signed = metadata.signed as { expires: string }
    return { ...metadata, signed: { ...signed, expires: signed.expires.replace(/^\d{4}/, (year) => String(Number(year) + 1)) } }
  }
  const tuf = createTufClient({ fetchMetadata, trustedRoot: opts.trustedRoot, pqPublicKey: opts.pqPublicKey, now: opts.now })
  let client: MqttClient | undefined
  let busy: Promise<unknown> = Promise.resolve()
  const outcomes: { ecu: string; version: string; ok: boolean; cause?: FailureCause }[] = []

  const ecus = () => config.zonalGateways.flatMap((z) => z.ecus)
  const report = () => client?.publishAsync(topicFor('config', spec.vin), JSON.stringify({ ...config, at: new Date().toISOString() }), { qos: QOS, retain: true })
  // The UDS servers of its gateway and ECUs (for the DoIP entity and the MQTT relay), made on first
  // use: a large simulated fleet is rarely diagnosed. A flash through them is reported too.
  let network: EcuNetwork | undefined
  const diagnostics = () => (network ??= createEcuNetwork({ config, onSoftwareChanged: () => void report(), log: opts.log }))
  let failureRate = opts.failureRate
  const deferredJobs = new Set<string>()
  const staged = new Map<string, Buffer>()
  /** The image each ECU runs, when it came over the air: the source a delta rebuilds from. */
  const held = new Map<string, Buffer>()
  const HOLD_MAX_BYTES = 64 * 1024 ** 2
  let job: { id: string; action: UpdateNotify['action']; cancel?: boolean } | undefined
  class Canceled extends Error {}
  /** Between steps, before anything irreversible: a canceled job's install stops here. */
  const checkpoint = () => {
    if (job?.cancel) throw new Canceled('the job was canceled before installing')
  }
  const progress = async (offer: OfferedUpdate, step: UpdateProgress['step'], percent: number, extra: Partial<UpdateProgress> = {}) => {
    const message: UpdateProgress = { jobId: job?.id, releaseId: offer.releaseId, ecu: offer.ecu, version: offer.version, step, percent, at: new Date().toISOString(), ...extra }
    await client?.publishAsync(topicFor('updateProgress', spec.vin), JSON.stringify(message), { qos: QOS })
  }

  /** One byte range of the offered artifact; a server that ignored the Range would be a broken download. */
  async function rangeOf(offer: OfferedUpdate, start: number, end: number) {
    const answer = await api().device.artifact({ id: offer.releaseId }, { headers: { range: `bytes=${start}-${end}` } })
    if (answer.status !== 206) throw new UpdateFailed('download-interrupted', `bytes ${start}-${end} of ${offer.releaseId} came back as HTTP ${answer.status}, not a range`)
    return Buffer.from(answer.bytes)
  }

  async function download(offer: OfferedUpdate, inject?: FailureCause) {
    const chunk = opts.chunkBytes ?? Math.max(64 * 1024, Math.ceil(offer.size / 4))
    const parts: Buffer[] = []
    // Ranged requests, each resuming where the last stopped, as over a flaky cellular link.
    for (let start = 0; start < offer.size; start += chunk) {
      if (inject === 'download-interrupted' && start > 0) throw new UpdateFailed('download-interrupted', `the link dropped at byte ${start} of ${offer.size}`)
      parts.push(await rangeOf(offer, start, Math.min(start + chunk, offer.size) - 1))
    }
    const bytes = Buffer.concat(parts)
    if (inject === 'hash-mismatch') bytes[bytes.length >> 1]! ^= 0xff
    return bytes
  }

  /** The offer's target in fresh TUF metadata, refused unless signed for this model, this ECU and its hardware. */
  async function signedTarget(offer: OfferedUpdate, ecu: EcuReport) {
    await tuf.refresh()
    const signed = tuf.target(offer.targetPath)
    if (!signed) throw new UpdateFailed('signature-invalid', `${offer.targetPath} is not in the signed targets`)
    const custom = signed.custom
    if (!custom || custom.model !== spec.model || custom.ecu !== ecu.id) throw new UpdateFailed('signature-invalid', `${offer.targetPath} is signed for another model or ECU`)
    if (!custom.hardware.includes(ecu.hardware)) throw new UpdateFailed('install-error', `${offer.targetPath} does not fit hardware ${ecu.hardware}`)
    return custom
  }

  /** The offer's data key, opened with this gateway's private key before a byte is downloaded. */
  function dataKeyOf(offer: OfferedUpdate) {
    try {
      return unwrapDataKey(offer.dataKey, kemSeed, vehicleDataKeyContext(spec.vin, offer.releaseId))
    } catch (err) {
      if (err instanceof DataKeyError) throw new UpdateFailed('decryption-failed', err.message)
      throw err
    }
  }

  /**
   * The image rebuilt from the offered delta and the image this ECU holds, or the reason it
   * could not be (the caller then downloads the full image). The delta is checked against the
   * signed target's entry before it is opened, and the rebuilt image against the signed hash.
   */
  async function viaDelta(offer: OfferedUpdate, custom: Awaited<ReturnType<typeof signedTarget>>): Promise<{ image: Buffer; bytes: number } | { reason: string }> {
    const from = offer.delta!.from
    const entry = custom.deltas?.find((d) => d.from === from)
    if (!entry) return { reason: `the signed target lists no delta from ${from}` }
    const source = held.get(offer.ecu)
    if (!source || createHash('sha256').update(source).digest('hex') !== entry.sourceSha256) return { reason: `the image held for ${offer.ecu} is not the delta's source` }
    const answer = await api().device.delta({ id: offer.releaseId, from })
    if (answer.status !== 200) return { reason: `the delta download answered HTTP ${answer.status}` }
    const bytes = Buffer.from(answer.bytes)
    if (bytes.length !== entry.length || createHash('sha256').update(bytes).digest('hex') !== entry.sha256) return { reason: 'the delta differs from the signed one' }
    try {
      const image = await applyDelta(source, unseal(bytes, dataKeyOf(offer)))
      if (createHash('sha256').update(image).digest('hex') !== custom.plaintextSha256) return { reason: 'the rebuilt image differs from the signed one' }
      return { image, bytes: bytes.length }
    } catch (err) {
      return { reason: `the delta did not apply: ${(err as Error).message}` }
    }
  }

  /** Downloads the offer, checks it against its signed target (length, sha256, ML-DSA-65) and decrypts it. */
  async function verifiedImage(offer: OfferedUpdate, custom: Awaited<ReturnType<typeof signedTarget>>, inject?: FailureCause, downloaded?: () => Promise<void>) {
    const dataKey = dataKeyOf(offer)
    const bytes = await download(offer, inject)
    await downloaded?.()
    tuf.verifyTarget(offer.targetPath, bytes)
    let image: Buffer
    try {
      image = unseal(bytes, dataKey)
    } catch {
      throw new UpdateFailed('decryption-failed', `the image does not decrypt with the data key of ${offer.releaseId}`)
    }
    if (createHash('sha256').update(image).digest('hex') !== custom.plaintextSha256) throw new UpdateFailed('hash-mismatch', 'the decrypted image differs from the signed one')
    return image
  }

  async function install(offer: OfferedUpdate) {
    const ecu = ecus().find((e) => e.id === offer.ecu)
    if (!ecu) return
    const inject = failureRate > 0 && opts.random.chance(failureRate) ? opts.random.pick(INJECTED_CAUSES) : undefined
    try {
      if (inject === 'consent-refused') throw new UpdateFailed('consent-refused', 'the driver declined the update')
      if (job?.action === 'soft') {
        // A soft update waits for the driver's consent, and may be refused.
        if (opts.consentRefusalRate && opts.random.chance(opts.consentRefusalRate)) return void (await progress(offer, 'rejected', 0, { detail: 'the driver declined' }))
        if (job && opts.deferral && !deferredJobs.has(job.id) && opts.random.chance(opts.deferral.rate)) {
          deferredJobs.add(job.id)
          const deferUntil = new Date(Date.now() + opts.deferral.forMs).toISOString()
          return void (await progress(offer, 'deferred', 0, { deferUntil, detail: 'the driver asked to be reminded later' }))
        }
        await progress(offer, 'accepted', 0)
      }
      await progress(offer, 'downloading', 0)
      tamperTargets = inject === 'signature-invalid'
      const custom = await signedTarget(offer, ecu)
      // A job's offer told twice (another backend instance took the job over) installs once.
      if (job && custom.version === ecu.software) return void (await progress(offer, 'done', 100, { detail: `${ecu.id} runs ${custom.version} already` }))
      if (!semver.gt(custom.version, ecu.software)) throw new UpdateFailed('rollback-refused', `${custom.version} is not newer than the installed ${ecu.software}`)
      // A download-only job left the image here, verified: the install command needs no download.
      let image = staged.get(offer.releaseId)
      let delivery: { delivery: 'full' | 'delta' | 'delta-fallback'; downloadedBytes: number } = { delivery: 'full', downloadedBytes: 0 }
      if (!image || createHash('sha256').update(image).digest('hex') !== custom.plaintextSha256) {
        const rebuilt = offer.delta && !inject ? await viaDelta(offer, custom) : undefined
        if (rebuilt && 'image' in rebuilt) {
          image = rebuilt.image
          delivery = { delivery: 'delta', downloadedBytes: rebuilt.bytes }
          await progress(offer, 'verifying', 50, { detail: `rebuilt from a ${rebuilt.bytes}-byte delta from ${offer.delta!.from}` })
        } else {
          if (rebuilt) await progress(offer, 'downloading', 0, { detail: `delta from ${offer.delta!.from} not used (${rebuilt.reason}); downloading the full image` })
          image = await verifiedImage(offer, custom, inject, async () => {
            await progress(offer, 'downloading', 35)
            await progress(offer, 'verifying', 50)
          })
          delivery = { delivery: rebuilt ? 'delta-fallback' : 'full', downloadedBytes: offer.size }
        }
        await progress(offer, 'decompressing', 70)
      }
      checkpoint()
      if (job?.action === 'download-only') {
        staged.set(offer.releaseId, image)
        await progress(offer, 'done', 100, { detail: 'downloaded and verified; installs on command' })
        return
      }
      staged.delete(offer.releaseId)
      if (inject === 'low-battery') throw new UpdateFailed('low-battery', 'battery at 11%, below the 30% an install needs')
      await progress(offer, 'installing', 90)
      if (inject === 'install-error') throw new UpdateFailed('install-error', `${ecu.id} rejected the image while flashing`)
      await progress(offer, 'rebooting', 95)
      const previous = ecu.software
      ecu.software = custom.version
      if (image.length <= HOLD_MAX_BYTES) held.set(ecu.id, image)
      else held.delete(ecu.id)
      await progress(offer, 'done', 100, delivery)
      await report()
      outcomes.push({ ecu: ecu.id, version: custom.version, ok: true })
      const fault = opts.healthFault
      if (fault && fault.rate > 0 && opts.random.chance(fault.rate)) {
        const jobNow = job
        setTimeout(() => void turnUnhealthy(fault.kind, offer, ecu, previous, jobNow).catch((err: Error) => opts.log?.(`${spec.vin} health fault: ${err.message}`)), fault.afterMs)
      }
    } catch (err) {
      if (err instanceof Canceled) {
        await progress(offer, 'canceled', 100, { detail: err.message })
        return
      }
      const cause: FailureCause =
        err instanceof UpdateFailed
          ? err.cause
          : err instanceof VerificationError
            ? err.cause
            : inject === 'download-interrupted' || unreachable(err)
              ? 'download-interrupted'
              : 'install-error'
      opts.log?.(`${spec.vin} ${offer.ecu} ${offer.version}: failed (${cause}): ${(err as Error).message}`)
      await progress(offer, 'failed', 100, { cause, detail: (err as Error).message.slice(0, 500) })
      outcomes.push({ ecu: offer.ecu, version: offer.version, ok: false, cause })
    }
  }

  /** The injected health fault, reported as the gateway would: a failed step with its cause, after the install's done. */
  async function turnUnhealthy(kind: HealthFault, offer: OfferedUpdate, ecu: ReturnType<typeof ecus>[number], previous: string, of: typeof job) {
    if (kind === 'offline') return vehicle.disconnect()
    const failed = (cause: FailureCause, detail: string) =>
      client?.publishAsync(
        topicFor('updateProgress', spec.vin),
        JSON.stringify({
          jobId: of?.id,
          releaseId: offer.releaseId,
          ecu: offer.ecu,
          version: offer.version,
          step: 'failed',
          percent: 100,
          cause,
          detail,
          at: new Date().toISOString()
        }),
        { qos: QOS }
      )
    if (kind === 'rollback') {
      ecu.software = previous
      await report()
      return failed('rolled-back', `${ecu.id} did not boot ${offer.version} and fell back to ${previous}`)
    }
    if (kind === 'self-test') return failed('self-test-failed', `${ecu.id}: the self-test after boot failed (routine 0x0203 answered "failed")`)
    return failed('new-dtc', `${ecu.id}: DTC C12300 (supply voltage out of range) confirmed after the update`)
  }

  /** Starts using a new certificate; connections still busy on the old one finish first. */
  function adopt(next: DeviceIdentity) {
    const previous = device
    identity = next
    device = opts.backend.device(next)
    opts.onIdentity?.(next)
    if (previous) setTimeout(() => previous.close(), 30_000).unref()
  }

  /** A key made here, a CSR of the device CA's algorithm, and the one-time credential: the first certificate. */
  async function enrol() {
    const open = opts.backend.api()
    const { keyPem, csrPem } = await requestFor(spec.vin, (await open.pki.caCertificate()).bytes)
    const issued = await open.device.enrol({ vin: spec.vin, credential: credentials.credential, csrPem })
    adopt({ keyPem, certPem: issued.certificatePem })
    opts.log?.(`${spec.vin}: enrolled, device certificate ${issued.serial} until ${issued.notAfter}`)
  }

  /**
   * A new key and certificate, asked for with the current one, which stays valid until the backend
   * sees the new one in use: there is no moment without a valid certificate. MQTT then logs in
   * again with the new one, cleanly, so its session and queued messages stay.
   */
  async function renew() {
    const { keyPem, csrPem } = await requestFor(spec.vin, (await opts.backend.api().pki.caCertificate()).bytes)
    const issued = await api().device.renew({ csrPem })
    adopt({ keyPem, certPem: issued.certificatePem })
    opts.log?.(`${spec.vin}: renewed its device certificate: ${issued.serial} until ${issued.notAfter}`)
    if (client) {
      Object.assign(client.options, { cert: issued.certificatePem, key: keyPem })
      const reconnected = new Promise<void>((resolve) => client!.once('connect', () => resolve()))
      await client.endAsync()
      client.reconnect()
      await reconnected
    }
  }

  async function renewIfDue() {
    if (identity && renewalDue(identity.certPem)) await renew()
  }

  const flashes = createFlashRunner({
    network: diagnostics,
    ecu: (id) => (id === 'GATEWAY' ? { id, ...config.gateway } : ecus().find((e) => e.id === id)),
    verifiedImage: async (offer, ecu) => verifiedImage(offer, await signedTarget(offer, ecu)),
    publish: async (report) => void (await client?.publishAsync(topicFor('flashProgress', spec.vin), JSON.stringify(report), { qos: QOS })),
    log: (line) => opts.log?.(`${spec.vin} ${line}`)
  })

  const ecuFaults = new Map(Object.entries(opts.ecuFaults ?? {}))
  const installPackage = createPackageInstaller({
    zones: () => config.zonalGateways,
    verifiedImage: async (offer, ecu) => {
      const custom = await signedTarget(offer, ecu)
      return { image: await verifiedImage(offer, custom), version: custom.version }
    },
    flash: async (ecu, image) => void (image.length <= HOLD_MAX_BYTES ? held.set(ecu.id, image) : held.delete(ecu.id)),
    progress: (offer, step, extra) => progress(offer, step, step === 'done' ? 100 : step === 'installing' ? 10 : 100, extra),
    publish: async (p) => client?.publishAsync(topicFor('packageProgress', spec.vin), JSON.stringify(p), { qos: QOS }),
    reportConfig: async () => report()
  })

  const vehicle = {
    spec,
    outcomes,
    versions: () => Object.fromEntries(ecus().map((e) => [e.id, e.software])),
    diagnostics,
    connected: () => client?.connected ?? false,

    /** The current device certificate, once enrolled. */
    identity: () => identity,
    renew: () => {
      const run = busy.then(renew)
      busy = run.catch((err: Error) => opts.log?.(`${spec.vin} renewal: ${err.message}`))
      return run
    },

    async connect() {
      if (!identity) await enrol()
      await renewIfDue()
      client = mqtt.connect(opts.mqttUrl, {
        protocolVersion: opts.mqttVersion ?? 4,
        clientId: `vehicle-${spec.vin}`,
        username: spec.vin,
        cert: identity!.certPem,
        key: identity!.keyPem,
        ca: opts.ca,
        // mqtt.js hands these to tls.connect, though its types do not list them.
        ...{ ecdhCurve: runtimeGroups() },
        clean: false,
        will: { topic: topicFor('presence', spec.vin), payload: Buffer.from(JSON.stringify({ online: false })), qos: QOS, retain: true }
      })
      reconnectWithBackoff(client, VEHICLE_RECONNECT)
      client.on('error', (err) => {
        opts.log?.(`${spec.vin} mqtt: ${err.message}`)
        // MQTT 3.1.1 cannot say why a login is refused; the backend's HTTPS refusal names it.
        if (/not authori[sz]ed/i.test(err.message))
          void api()
            .device.certificate()
            .catch((why: Error) => opts.log?.(`${spec.vin}: ${why.message}`))
      })
      // With Nagle's algorithm a small packet waits for the last one's ACK: ~40 ms on a relayed UDS answer.
      client.on('connect', () => (client!.stream as Partial<Socket>).setNoDelay?.(true))
      await new Promise<void>((resolve, reject) => {
        client!.once('connect', () => resolve())
        client!.once('error', reject)
      })
      // After any reconnect (a broker restart, perhaps without its sessions), subscribe again,
      // say so again and resend the configuration.
      const subscribe = () =>
        client!.subscribeAsync(
          [
            topicFor('updateNotify', spec.vin),
            topicFor('updatePackage', spec.vin),
            topicFor('diagRequest', spec.vin),
            topicFor('flashRequest', spec.vin),
            topicFor('certificateRenew', spec.vin)
          ],
          {
            qos: QOS
          }
        )
      client.on(
        'connect',
        () =>
          void subscribe()
            .then(() => vehicle.announce())
            .catch(() => undefined)
      )
      await subscribe()
      client.on('message', (topic, payload) => {
        if (topic === topicFor('diagRequest', spec.vin)) void vehicle.onDiagRequest(payload)
        else if (topic === topicFor('flashRequest', spec.vin)) void flashes.handle(payload)
        else if (topic === topicFor('certificateRenew', spec.vin)) vehicle.onRenewRequest(payload)
        else if (topic === topicFor('updatePackage', spec.vin)) vehicle.onPackage(payload)
        else vehicle.onNotify(payload)
      })
      await vehicle.announce()
    },

    async announce() {
      await client?.publishAsync(topicFor('presence', spec.vin), JSON.stringify({ online: true, at: new Date().toISOString() }), { qos: QOS, retain: true })
      await report()
    },

    /** A UDS request relayed by the backend: the addressed ECU answers on diagResponse. */
    async onDiagRequest(payload: Buffer) {
      const response = await relayDiagRequest(diagnostics(), payload)
      if (!response) return opts.log?.(`${spec.vin}: ignored a malformed diagnostic request`)
      await client?.publishAsync(topicFor('diagResponse', spec.vin), JSON.stringify(response), { qos: QOS })
    },

    /** An operator asked for a new certificate: renewed at once unless the one asked about is already replaced. */
    onRenewRequest(payload: Buffer) {
      const parsed = CertificateRenewSchema.safeParse(JSON.parse(payload.toString()))
      if (!parsed.success) return opts.log?.(`${spec.vin}: ignored a malformed renewal request`)
      if (identity && certificateSerial(identity.certPem) !== parsed.data.serial) return
      void vehicle.renew().catch(() => undefined)
    },

    /** A notification: a job's offer to install (forced, soft, download-only), or a nudge to ask. */
    onNotify(payload: Buffer) {
      const parsed = UpdateNotifySchema.safeParse(JSON.parse(payload.toString()))
      if (!parsed.success) return opts.log?.(`${spec.vin}: ignored a malformed notification`)
      const n = parsed.data
      if (n.action === 'cancel') {
        if (job && job.id === n.jobId) job.cancel = true
        return
      }
      if (!n.offer || n.action === 'check-update') return void vehicle.checkForUpdates()
      const offer = n.offer
      const run = busy.then(async () => {
        job = n.jobId ? { id: n.jobId, action: n.action } : undefined
        try {
          await install(offer)
        } finally {
          job = undefined
        }
      })
      busy = run.catch((err: Error) => opts.log?.(`${spec.vin} job: ${err.message}`))
    },

    /** A release set's packages, one per zonal gateway: installed after whatever the vehicle is busy with. */
    onPackage(payload: Buffer) {
      const parsed = UpdatePackageSchema.safeParse(JSON.parse(payload.toString()))
      if (!parsed.success) return opts.log?.(`${spec.vin}: ignored a malformed package`)
      const run = busy.then(() => installPackage(parsed.data, ecuFaults))
      busy = run.catch((err: Error) => opts.log?.(`${spec.vin} package: ${err.message}`))
    },

    /** The simulator's control: this ECU fails its next installs with `cause` (none: installs again). */
    setEcuFault(ecu: string, cause?: FailureCause) {
      if (cause) ecuFaults.set(ecu, cause)
      else ecuFaults.delete(ecu)
    },

    /** The simulator's control: the image an ECU holds changes (a workshop flashed it), so the next delta's source no longer matches. */
    alterHeldImage(ecu: string) {
      const image = held.get(ecu)
      if (image) image[image.length >> 1]! ^= 0xff
      return !!image
    },

    /** The simulator's control: how often this vehicle fails from now on. */
    setFailureRate(rate: number) {
      failureRate = rate
    },

    /** Device-initiated pull: send the ECU versions, install what comes back, one at a time. */
    checkForUpdates(): Promise<void> {
      const run = busy.then(async () => {
        await renewIfDue()
        const answer = await api().device.checkUpdate({ ecus: ecus().map((e) => ({ ecu: e.id, hardware: e.hardware, version: e.software })) })
        if (answer.status === 'update-available') for (const offer of answer.updates) await install(offer)
      })
      busy = run.catch((err: Error) => opts.log?.(`${spec.vin} check-update: ${err.message}`))
      return run
    },

    /** A clean goodbye: the last will only speaks for a vehicle that vanished. */
    async disconnect() {
      flashes.abortAll()
      await busy
      if (client?.connected) await client.publishAsync(topicFor('presence', spec.vin), JSON.stringify({ online: false, at: new Date().toISOString() }), { qos: QOS, retain: true })
      await client?.endAsync()
      device?.close()
    }
  }
  return vehicle
}
export type Vehicle = ReturnType<typeof createVehicle>
