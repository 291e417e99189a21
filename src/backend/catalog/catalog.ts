import { randomBytes } from 'node:crypto'
import type { Readable } from 'node:stream'
import semver from 'semver'
import { channelSees, STABLE, targetPath, type CreateRelease, type ReleaseView } from '../../shared/fleet/catalog'
import { compareVersions } from '../../shared/version'
import type { CheckUpdate, OfferedUpdate } from '../../shared/fleet/device'
import { openSealed } from '../crypto/sealed'
import type { Keyring } from '../crypto/keyring'
import type { Db } from '../db/db'
import { conflict, HttpError, notFound } from '../http/errors'
import { TooLargeError, type BlobStore, type ByteRange } from './blob-store'
import { createDeltas, type DeltaRow } from './deltas'

interface ReleaseRow {
  id: string
  model: string
  ecu: string
  version: string
  hardware: string
  notes: string
  artifact_sha256: string
  size: number
  created_at: string
  created_by: string
  channels: string
  blob_sha256: string | null
  blob_size: number | null
}

/** An offer before its data key is wrapped for the vehicle it goes to (see crypto/data-keys.ts). */
export type UnkeyedOffer = Omit<OfferedUpdate, 'dataKey'>

const offerOf = (r: ReleaseRow): UnkeyedOffer => ({
  releaseId: r.id,
  ecu: r.ecu,
  version: r.version,
  url: `/api/v1/device/releases/${r.id}/artifact`,
  sha256: r.blob_sha256!,
  size: Number(r.blob_size),
  targetPath: targetPath(r)
})

const deltaOffer = (releaseId: string, from: string, delta: DeltaRow) => ({ from, url: `/api/v1/device/releases/${releaseId}/delta/${from}`, size: Number(delta.blob_size) })

const toView = (r: ReleaseRow): ReleaseView => ({
  id: r.id,
  model: r.model,
  ecu: r.ecu,
  version: r.version,
  hardware: JSON.parse(r.hardware) as string[],
  notes: r.notes,
  artifactSha256: r.artifact_sha256,
  size: Number(r.size),
  published: r.blob_sha256 !== null,
  channels: JSON.parse(r.channels) as string[],
  createdAt: r.created_at,
  createdBy: r.created_by
})

const SELECT = `SELECT r.*, p.blob_sha256, p.blob_size FROM releases r LEFT JOIN publications p ON p.release_id = r.id`

/** The firmware catalog: artifacts, releases, and their publication to a model's channel. */
export function createCatalog(deps: { db: Db; blobs: BlobStore; keys: Keyring; maxUploadBytes: number; log?: (line: string) => void }) {
  const { db, blobs, keys } = deps
  const deltas = createDeltas(deps)
  const row = (id: string) => db.get<ReleaseRow>(`${SELECT} WHERE r.id = ?`, [id])
  const mustRow = async (id: string) => (await row(id)) ?? Promise.reject(notFound(`release ${id}`))

  return {
    async upload(body: Readable, by: string) {
      try {
        const { sha256, size } = await blobs.putPlain(body, keys.serverKey, deps.maxUploadBytes)
        await db.run('INSERT INTO artifacts (sha256, size, created_at, created_by) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING', [
          sha256,
          size,
          new Date().toISOString(),
          by
        ])
        return { sha256, size }
      } catch (err) {
        if (err instanceof TooLargeError) throw new HttpError(413, 'too-large', err.message)
        throw err
      }
    },

    async create(input: CreateRelease & { notes: string }, by: string): Promise<ReleaseView> {
      const artifact = await db.get<{ size: number }>('SELECT size FROM artifacts WHERE sha256 = ?', [input.artifactSha256])
      if (!artifact) throw notFound(`artifact ${input.artifactSha256} (upload it first)`)
      const id = `rel_${randomBytes(8).toString('hex')}`
      const { changes } = await db.run(
        `INSERT INTO releases (id, model, ecu, version, hardware, notes, artifact_sha256, size, created_at, created_by, channels)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (model, ecu, version) DO NOTHING`,
        [
          id,
          input.model,
          input.ecu,
          input.version,
          JSON.stringify(input.hardware),
          input.notes,
          input.artifactSha256,
          artifact.size,
          new Date().toISOString(),
          by,
          JSON.stringify([...new Set(input.channels ?? [STABLE])])
        ]
      )
      if (changes === 0) throw conflict(`${input.model} ${input.ecu} ${input.version} already exists`)
      return toView(await mustRow(id))
    },

    get: async (id: string) => toView(await mustRow(id)),

    async list(q: { model?: string; ecu?: string; published?: 'true' | 'false' }) {
      const where: string[] = []
      const params: unknown[] = []
      const add = (clause: string, value: unknown) => (where.push(clause), params.push(value))
      if (q.model) add('r.model = ?', q.model)
      if (q.ecu) add('r.ecu = ?', q.ecu)
      if (q.published) where.push(q.published === 'true' ? 'p.release_id IS NOT NULL' : 'p.release_id IS NULL')
      const rows = await db.all<ReleaseRow>(`${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.model, r.ecu, r.created_at`, params)
      return rows.map(toView)
    },

    /** Seals the artifact once with the release's data key and opens it to the model's vehicles. */
    async publish(id: string, by: string): Promise<ReleaseView> {
      const r = await mustRow(id)
      if (r.blob_sha256) throw conflict(`release ${id} is already published to ${r.model}`)
      const plain = await openSealed(blobs, blobs.uploadName(r.artifact_sha256), keys.serverKey)
      const sealed = await blobs.putSealedFor(r.model, plain, await keys.dataKey(id))
      const { changes } = await db.run(
        `INSERT INTO publications (release_id, model, blob_sha256, blob_size, published_at, published_by) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (release_id) DO NOTHING`,
        [id, r.model, sealed.sha256, sealed.size, new Date().toISOString(), by]
      )
      if (changes === 0) throw conflict(`release ${id} is already published to ${r.model}`)
      await deltas.makeFor(r)
      return toView(await mustRow(id))
    },

    async withdraw(id: string): Promise<ReleaseView> {
      const r = await mustRow(id)
      const { changes } = await db.run('DELETE FROM publications WHERE release_id = ?', [id])
      if (changes === 0) throw notFound(`release ${id} is not published, so it`)
      await blobs.remove(blobs.publishedName(r.model, r.blob_sha256!))
      await deltas.remove(id, r.model)
      return toView(await mustRow(id))
    },

    /**
     * Adds a release channel: "promote to stable" offers a beta release to every vehicle. A
     * release never leaves a channel (vehicles on it may be installing it); withdrawing stops it.
     */
    async promote(id: string, channel: string): Promise<ReleaseView> {
      const r = await mustRow(id)
      const channels = JSON.parse(r.channels) as string[]
      if (channels.includes(channel)) throw conflict(`release ${id} is on ${channel} already`)
      await db.run('UPDATE releases SET channels = ? WHERE id = ?', [JSON.stringify([...channels, channel]), id])
      return toView(await mustRow(id))
    },

    /** The sealed file of a release published to `model`, or 404 when that model does not have it. */
    async publishedBlob(id: string, model: string) {
      const r = await row(id)
      if (!r || !r.blob_sha256 || r.model !== model) throw notFound(`release ${id} in the ${model} channel`)
      const name = blobs.publishedName(model, r.blob_sha256)
      return { name, size: Number(r.blob_size), sha256: r.blob_sha256, release: toView(r), offer: offerOf(r), open: (range?: ByteRange) => blobs.read(name, range) }
    },

    /** A job's offer to one vehicle, with the delta from the version its ECU reports when there is one. */
    async offerTo(vin: string, offer: UnkeyedOffer): Promise<UnkeyedOffer> {
      const ecu = await db.get<{ software_version: string }>('SELECT software_version FROM ecus WHERE vin = ? AND ecu_id = ?', [vin, offer.ecu])
      const delta = ecu && (await deltas.one(offer.releaseId, ecu.software_version))
      return delta ? { ...offer, delta: deltaOffer(offer.releaseId, ecu.software_version, delta) } : offer
    },

    /** A stored blob, decrypted as it streams (it errors at its end if anything was altered). */
    decrypt: (name: string, key: Buffer) => openSealed(blobs, name, key),

    /** The sealed delta to a published release from `from`, or 404 when there is none. */
    async publishedDelta(id: string, model: string, from: string) {
      const blob = await this.publishedBlob(id, model)
      const delta = await deltas.one(id, from)
      if (!delta) throw notFound(`a delta to release ${id} from ${from}`)
      const name = blobs.publishedName(model, delta.blob_sha256)
      return { ...blob, name, size: Number(delta.blob_size), sha256: delta.blob_sha256, open: (range?: ByteRange) => blobs.read(name, range) }
    },

    /**
     * For each ECU, the newest published release on the vehicle's channel above its version that
     * fits its hardware and that `allowed` (the standing policies) lets this vehicle have.
     */
    async offers(
      model: string,
      request: CheckUpdate,
      allowed: (ecu: string, releaseId: string, current: string) => boolean = () => true,
      channel: string | null = null
    ): Promise<UnkeyedOffer[]> {
      const published = (await db.all<ReleaseRow>(`${SELECT} WHERE p.model = ?`, [model])).filter((r) => channelSees(channel, JSON.parse(r.channels) as string[]))
      const offers: UnkeyedOffer[] = []
      for (const ecu of request.ecus) {
        const best = published
          .filter(
            (r) => r.ecu === ecu.ecu && semver.gt(r.version, ecu.version) && (JSON.parse(r.hardware) as string[]).includes(ecu.hardware) && allowed(ecu.ecu, r.id, ecu.version)
          )
          .sort((a, b) => compareVersions(b.version, a.version))[0]
        if (!best) continue
        // A delta from the version the vehicle runs, when one was made: the vehicle decides whether its image is the source.
        const delta = await deltas.one(best.id, ecu.version)
        offers.push({ ...offerOf(best), ...(delta && { delta: deltaOffer(best.id, ecu.version, delta) }) })
      }
      return offers
    }
  }
}
export type Catalog = ReturnType<typeof createCatalog>
