import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { encodeHeader, encodePrefix, PREFIX_LEN } from '../../shared/bundle/container'
import { BUNDLE_KIND, type BundleManifest } from '../../shared/bundle/manifest'
import type { ExportBundleRequest } from '../../shared/bundle/api'
import { targetPath } from '../../shared/fleet/catalog'
import type { Catalog } from '../catalog/catalog'
import type { Keyring } from '../crypto/keyring'
import { sealStream } from '../crypto/sealed'
import type { Db } from '../db/db'
import { badRequest, conflict } from '../http/errors'
import type { JobService } from '../jobs/job-service'
import type { TufRepository } from '../tuf/repository'
import { claimExecutions, releaseClaims, unclaimable, vehicleDetails } from './claims'
import { wrapDataKey } from '../../crypto/data-key'
import { bundleDataKeyContext } from '../../shared/data-key'
import type { OfflineSigningKey } from './signing-key'
import { tufChain } from './tuf-chain'
import type { Workshops } from './workshops'
import type { DeviceCertificates } from '../pki/device-certificates'
import { ENDED_JOB_STATES } from '../../shared/fleet/jobs'

/** Hashes and counts what flows through. */
const measure = () => {
  const hash = createHash('sha256')
  let length = 0
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk)
      length += chunk.length
      done(null, chunk)
    }
  })
  return { stream, result: () => ({ sha256: hash.digest('hex'), length }) }
}

export interface ExportDeps {
  db: Db
  jobs: JobService
  catalog: Catalog
  keys: Keyring
  tuf: TufRepository
  workshops: Workshops
  signer: OfflineSigningKey
  /** Whether the workshop's certificate still stands (not revoked, not expired). */
  certificates: Pick<DeviceCertificates, 'workshopRefusal'>
}

/**
 * Makes one offline bundle of a job for one workshop: claims the job's queued executions, takes
 * the TUF metadata as it stands, re-seals the release's image with a fresh content key wrapped
 * for the workshop's key, and signs the manifest. The answer is the file as a stream; the
 * re-sealed image waits in a temporary folder only until it is sent.
 */
export async function exportBundle(deps: ExportDeps, jobId: string, request: ExportBundleRequest & { expiresInHours: number }, by: string, origin: string) {
  const { db } = deps
  // The recipient first: a shut-out workshop gets nothing, whatever the job.
  const workshop = await deps.workshops.byId(request.workshopId)
  const refusal = await deps.certificates.workshopRefusal(workshop.id)
  if (refusal) throw conflict(`No bundle for workshop ${workshop.name}: ${refusal}`)
  const job = await deps.jobs.view(jobId)
  if (ENDED_JOB_STATES.includes(job.state)) throw conflict(`job ${jobId} is ${job.state}: nothing is left to hand to a workshop`)
  const release = await deps.catalog.get(job.releaseId)
  if (!release.published) throw conflict(`release ${release.id} is not published; publish it before exporting its job`)
  const blob = await deps.catalog.publishedBlob(release.id, release.model)
  const tuf = await tufChain(deps.tuf)
  const path = targetPath(release)
  const target = tuf.targets.signed.targets[path]
  if (!target || target.hashes.sha256 !== blob.sha256 || target.custom?.plaintextSha256 !== release.artifactSha256) {
    throw conflict(`release ${release.id} is published but its TUF target ${path} is not signed yet: sign the pending changes (Firmware screen) before exporting`)
  }

  const now = Date.now()
  const root = tuf.roots.at(-1)!
  const expiresAt = new Date(Math.min(now + request.expiresInHours * 3_600_000, Date.parse(tuf.targets.signed.expires), Date.parse(root.signed.expires))).toISOString()
  const id = `bdl_${randomBytes(8).toString('hex')}`
  const createdAt = new Date(now).toISOString()

  const vins = await db.transaction(async (tx) => {
    await tx.run('INSERT INTO offline_bundles (id, job_id, workshop_id, vehicles, size, created_at, created_by, expires_at) VALUES (?, ?, ?, 0, NULL, ?, ?, ?)', [
      id,
      jobId,
      workshop.id,
      createdAt,
      by,
      expiresAt
    ])
    return claimExecutions(tx, jobId, id, request.vins, createdAt)
  })
  const missing = request.vins?.filter((v) => !vins.includes(v)) ?? []
  if (vins.length === 0 || missing.length) {
    await releaseClaims(db, id)
    if (missing.length) throw conflict(`these vehicles cannot go into a bundle: ${await unclaimable(db, jobId, missing)}`)
    throw conflict(`job ${jobId} has no queued execution that is not already in a live bundle`)
  }

  const dir = await mkdtemp(join(tmpdir(), 'ota-bundle-'))
  try {
    const contentKey = randomBytes(32)
    const payloadFile = join(dir, 'payload')
    const plain = measure()
    const sealed = measure()
    await pipeline(await deps.catalog.decrypt(blob.name, await deps.keys.dataKey(release.id)), plain.stream, sealStream(contentKey), sealed.stream, createWriteStream(payloadFile))
    const image = plain.result()
    if (image.sha256 !== release.artifactSha256) throw new Error(`the stored image of ${release.id} no longer matches its sha256`)
    const payload = { name: `payload/${release.id}`, ...sealed.result() }

    const manifest: BundleManifest = {
      kind: BUNDLE_KIND,
      id,
      backend: { keyid: deps.signer.keyid, origin },
      workshop: { id: workshop.id, name: workshop.name },
      job: { id: job.id, name: job.name, actionType: job.spec.actionType },
      createdAt,
      createdBy: by,
      expiresAt,
      releases: [
        {
          id: release.id,
          model: release.model,
          ecu: release.ecu,
          version: release.version,
          hardware: release.hardware,
          targetPath: path,
          imageSha256: image.sha256,
          imageLength: image.length,
          payload: payload.name
        }
      ],
      vehicles: await vehicleDetails(db, vins),
      contentKey: wrapDataKey(contentKey, Buffer.from(workshop.encryptionKey, 'base64'), bundleDataKeyContext(workshop.id, id)),
      tuf,
      blobs: [payload]
    }
    const header = Buffer.from(encodeHeader({ signed: manifest, signatures: [{ keyid: deps.signer.keyid, sig: deps.signer.sign(manifest) }] }))
    const size = PREFIX_LEN + header.length + payload.length
    await db.run('UPDATE offline_bundles SET vehicles = ?, size = ? WHERE id = ?', [vins.length, size, id])
    const file = Readable.from(
      (async function* () {
        try {
          yield Buffer.from(encodePrefix(header.length))
          yield header
          yield* createReadStream(payloadFile)
        } finally {
          await rm(dir, { recursive: true, force: true })
        }
      })()
    )
    return { id, size, vehicles: vins.length, workshop: workshop.name, file }
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    await releaseClaims(db, id)
    throw err
  }
}

/** The request's origin as the client named it, for the bundle to say where it came from. */
export const originOf = (host: string | undefined) => {
  if (!host || !/^[\w.:[\]-]{1,300}$/.test(host)) throw badRequest('the request has no usable Host header')
  return `https://${host}`
}
