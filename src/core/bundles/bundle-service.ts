import { createReadStream, createWriteStream } from 'node:fs'
import { copyFile, mkdir } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import type { z } from 'zod'
import type { ExportBundleRequest } from '../../shared/bundle/api'
import { RESULTS_KIND, WorkshopResult, type BundleManifest, type ResultsManifest } from '../../shared/bundle/manifest'
import type { BundleVerdict } from '../../shared/bundle/report'
import type { BundleDetail, ImportedBundle, WorkshopStatus } from '../../shared/calls/bundles'
import { OtaError } from '../../shared/errors'
import type { BackendClient } from '../backend/backend-client'
import type { SecretStore } from '../secrets/secret-store'
import type { Db } from '../store/database'
import { createBundleStore, type StoredBundle } from './bundle-store'
import { openContainer, writeHeaderOnly } from './container-file'
import { decryptPayload } from './payload'
import { createTrustStore } from './trust-store'
import { summaryOf, verifyBundle } from './verify-bundle'
import { createWorkshopKeys } from './workshop-keys'

/** What the workshop records about one ECU of one vehicle; the release is the bundle's for that ECU. */
export type ResultInput = Omit<z.input<typeof WorkshopResult>, 'releaseId' | 'cause' | 'detail' | 'versionBefore' | 'versionAfter' | 'steps'> &
  Partial<Pick<WorkshopResult, 'cause' | 'detail' | 'versionBefore' | 'versionAfter' | 'steps'>>

export interface BundleServiceDeps {
  db: Db
  secrets: SecretStore
  dataDir: string
  now?: () => number
  /** Told when a bundle is imported or a result recorded for it. */
  onChange?: (bundleId: string) => void
}

/**
 * Offline jobs as plain functions on paths, for the console's calls, a CLI (otactl bundle …) and
 * the workshop flash: register this console as a workshop while online, export a job's bundle,
 * verify and import bundles offline, hand out a verified firmware image per vehicle and ECU,
 * record results, and carry the signed results back online.
 */
export function createBundleService(deps: BundleServiceDeps) {
  const now = deps.now ?? Date.now
  const trust = createTrustStore(deps.db)
  const keys = createWorkshopKeys(deps.secrets)
  const store = createBundleStore(deps.db, deps.dataDir)
  const verifyDeps = { trust, keys, now }

  const mustGet = (bundleId: string) => store.get(bundleId) ?? Promise.reject(new OtaError('NOT_FOUND', `No bundle ${bundleId} has been imported into this console.`))
  const imported = (b: StoredBundle): ImportedBundle => {
    const results = store.results(b.id)
    return {
      ...summaryOf(b.manifest),
      importedAt: b.importedAt,
      expired: Date.parse(b.manifest.expiresAt) <= now(),
      results: { succeeded: results.filter((r) => r.outcome === 'succeeded').length, failed: results.filter((r) => r.outcome === 'failed').length }
    }
  }
  /** The stored file checked again, as at import: a bundle that expired or was altered since is refused. */
  const reverified = async (bundleId: string, payloads: 'none' | string) => {
    const b = await mustGet(bundleId)
    const { verdict, bundle } = await verifyBundle(b.file, verifyDeps, { payloads })
    if (!bundle) throw new OtaError('INVALID_INPUT', `Bundle ${bundleId} can no longer be used: ${verdict.message}`)
    return bundle
  }
  /** The release a bundle carries for one ECU of one of its vehicles. */
  const target = (manifest: BundleManifest, vin: string, ecu: string) => {
    const vehicle = manifest.vehicles.find((v) => v.vin === vin)
    if (!vehicle) throw new OtaError('NOT_FOUND', `Vehicle ${vin} is not in bundle ${manifest.id}.`)
    const release = manifest.releases.find((r) => r.model === vehicle.model && r.ecu === ecu)
    if (!release) throw new OtaError('NOT_FOUND', `Bundle ${manifest.id} has no firmware for ${ecu} of ${vehicle.model}.`)
    return { vehicle, release, ecu: vehicle.ecus.find((e) => e.id === ecu) ?? null }
  }

  const service = {
    /** Online, once per profile: register this console's keys with the backend (admin) and pin what it answers. */
    async registerWorkshop(profileId: string, client: BackendClient, name: string): Promise<WorkshopStatus> {
      const mine = await keys.loadOrCreate(profileId)
      const { workshop, trust: answer } = await client.offline.registerWorkshop({
        name,
        signingKey: mine.signing.key,
        encryptionKey: mine.encryption.publicKey,
        csrPem: await mine.signing.request(name)
      })
      trust.pin({
        profileId,
        workshopId: workshop.id,
        workshopName: workshop.name,
        backendKeyId: answer.backendKeyId,
        backendKey: answer.backendKey,
        origin: client.origin,
        root: answer.root
      })
      return service.workshopStatus(profileId)
    },

    workshopStatus(profileId: string): WorkshopStatus {
      const pin = trust.forProfile(profileId)
      if (!pin) return { workshop: null, backend: null, pinnedAt: null }
      return {
        workshop: { id: pin.workshopId, name: pin.workshopName },
        backend: { keyid: pin.backendKeyId, origin: pin.origin, rootVersion: pin.root.signed.version },
        pinnedAt: pin.pinnedAt
      }
    },

    listWorkshops: async (client: BackendClient) => (await client.offline.workshops()).workshops,

    /** Online: the job's bundle for a workshop, written to toPath (the backend signs it; nothing is checked here). */
    async exportBundle(client: BackendClient, jobId: string, request: ExportBundleRequest, toPath: string) {
      // A bundle carries firmware: it streams to disk, never whole in memory.
      await client.offline.exportBundle({ id: jobId }, request, { timeoutMs: 60_000, sink: (body) => pipeline(body, createWriteStream(toPath, { mode: 0o600 })) })
      const { envelope } = await openContainer(toPath)
      return { bundleId: String(envelope.signed.id), path: toPath }
    },

    verify: async (path: string): Promise<BundleVerdict> => (await verifyBundle(path, verifyDeps)).verdict,

    /** Verifies a bundle file (refusing it with the failed check's reason) and keeps a copy; importing it again changes nothing. */
    async importBundle(path: string): Promise<ImportedBundle> {
      const { verdict, bundle } = await verifyBundle(path, verifyDeps)
      if (!bundle) throw new OtaError('INVALID_INPUT', `The bundle was refused (${verdict.failed} check): ${verdict.message}`)
      const existing = store.get(bundle.manifest.id)
      if (existing) return imported(existing)
      await mkdir(store.dir, { recursive: true, mode: 0o700 })
      const file = store.fileFor(bundle.manifest.id)
      await copyFile(path, file)
      store.save({ id: bundle.manifest.id, profileId: bundle.pin.profileId, manifest: bundle.manifest, file })
      deps.onChange?.(bundle.manifest.id)
      return imported(await mustGet(bundle.manifest.id))
    },

    list: (): ImportedBundle[] => store.list().map(imported),

    async get(bundleId: string): Promise<BundleDetail> {
      const b = await mustGet(bundleId)
      return { bundle: imported(b), releases: b.manifest.releases, vehicles: b.manifest.vehicles, results: store.results(bundleId) }
    },

    /**
     * For the flash: the firmware image for one ECU of one vehicle, decrypted and checked against
     * the TUF-signed hash, after the whole bundle passed its checks again (expiry included).
     */
    async openImage(bundleId: string, vin: string, ecu: string) {
      const stored = await mustGet(bundleId)
      const { release } = target(stored.manifest, vin, ecu)
      const bundle = await reverified(bundleId, 'none')
      const { vehicle, ecu: ecuInfo } = target(bundle.manifest, vin, ecu)
      if (ecuInfo && !release.hardware.includes(ecuInfo.hardware))
        throw new OtaError('CONFLICT', `${ecu} of ${vin} is hardware ${ecuInfo.hardware}; release ${release.id} fits ${release.hardware.join(', ')}.`)
      const chunks: Buffer[] = []
      const image = await decryptPayload(bundle.path, bundle.blobs.get(release.payload)!, bundle.contentKey, (c) => chunks.push(c)).catch(() => undefined)
      if (!image || image.sha256 !== release.imageSha256 || image.length !== release.imageLength)
        throw new OtaError('INVALID_INPUT', `The payload of release ${release.id} does not decrypt to the image TUF signs: bundle ${bundleId} was altered.`)
      return { release, vehicle, ecu: ecuInfo, image: Buffer.concat(chunks) }
    },

    /** Records what the workshop did to one ECU of one vehicle of the bundle; a later attempt replaces an earlier one. */
    async recordResult(bundleId: string, input: ResultInput): Promise<WorkshopResult> {
      const b = await mustGet(bundleId)
      const { release } = target(b.manifest, input.vin, input.ecu)
      const parsed = WorkshopResult.safeParse({ cause: null, detail: null, versionBefore: null, versionAfter: null, steps: [], ...input, releaseId: release.id })
      if (!parsed.success) throw new OtaError('INVALID_INPUT', `The result is not valid: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`)
      store.record(bundleId, parsed.data)
      deps.onChange?.(bundleId)
      return parsed.data
    },

    results: async (bundleId: string) => (await mustGet(bundleId), store.results(bundleId)),

    /** The bundle's recorded results as a file signed with this console's workshop key. */
    async exportResults(bundleId: string, toPath: string) {
      const b = await mustGet(bundleId)
      const results = store.results(bundleId)
      if (results.length === 0) throw new OtaError('CONFLICT', `No result has been recorded for bundle ${bundleId} yet.`)
      const mine = await keys.load(b.profileId)
      if (!mine) throw new OtaError('NOT_FOUND', "This console's workshop key is missing from the keychain, so it cannot sign results.")
      const signed: ResultsManifest = {
        kind: RESULTS_KIND,
        bundleId,
        job: { id: b.manifest.job.id },
        backendKeyId: b.manifest.backend.keyid,
        workshop: { id: b.manifest.workshop.id, key: mine.signing.key },
        createdAt: new Date(now()).toISOString(),
        results,
        blobs: []
      }
      await writeHeaderOnly(toPath, { signed, signatures: [{ keyid: mine.signing.keyid, sig: mine.signing.sign(signed) }] })
      return { path: toPath, results: results.length }
    },

    /** Online: sends a results file to the backend, which checks the workshop's signature and applies it. */
    async importResults(client: BackendClient, path: string) {
      let jobId: unknown
      try {
        const { envelope } = await openContainer(path)
        if (envelope.signed.kind !== RESULTS_KIND) throw new Error('not a results file')
        jobId = (envelope.signed.job as { id?: unknown } | undefined)?.id
      } catch {
        throw new OtaError('INVALID_INPUT', 'The file is not a workshop results file.')
      }
      if (typeof jobId !== 'string' || !/^job_[0-9a-f]{16}$/.test(jobId)) throw new OtaError('INVALID_INPUT', 'The results file names no job.')
      return client.offline.importResults({ id: jobId }, createReadStream(path))
    }
  }
  return service
}
export type BundleService = ReturnType<typeof createBundleService>
