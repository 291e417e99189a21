import { z } from 'zod'
import { ContainerError, type BlobRange } from '../../shared/bundle/container'
import { BlobEntry, BUNDLE_KIND, BundleManifest, RESULTS_KIND } from '../../shared/bundle/manifest'
import type { BundleCheck, BundleCheckName, BundleSummary, BundleVerdict } from '../../shared/bundle/report'
import type { TargetInfo } from '../../shared/tuf/metadata'
import { OtaError } from '../../shared/errors'
import { verifyCanonical } from '../firmware/ed25519'
import { blobSha256, openContainer, type OpenedContainer } from './container-file'
import { verifyOfflineTuf, TufRejection } from './offline-tuf'
import { decryptPayload, unwrapContentKey } from './payload'
import type { Pin, TrustStore } from './trust-store'
import type { WorkshopKeyStore } from './workshop-keys'

export interface VerifyDeps {
  trust: TrustStore
  keys: WorkshopKeyStore
  now?: () => number
}

/** A bundle that passed: what the rest of the console may now use. */
export interface VerifiedBundle {
  path: string
  manifest: BundleManifest
  pin: Pin
  contentKey: Buffer
  blobs: Map<string, BlobRange>
  targets: Record<string, TargetInfo>
}

class Rejected extends Error {
  constructor(
    readonly check: BundleCheckName,
    message: string
  ) {
    super(message)
  }
}

const short = (keyid: string) => `${keyid.slice(0, 12)}…`

export const summaryOf = (m: BundleManifest): BundleSummary => ({
  id: m.id,
  job: { id: m.job.id, name: m.job.name },
  backend: m.backend,
  workshop: m.workshop,
  createdAt: m.createdAt,
  expiresAt: m.expiresAt,
  releases: m.releases.map((r) => ({ id: r.id, model: r.model, ecu: r.ecu, version: r.version })),
  vehicles: m.vehicles.length
})

async function opened(path: string): Promise<OpenedContainer> {
  try {
    return await openContainer(path)
  } catch (err) {
    if (err instanceof ContainerError) throw new Rejected(err.check, err.message)
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new OtaError('NOT_FOUND', `There is no file ${path}.`)
    throw err
  }
}

/**
 * Checks a bundle file before anything in it is used, in order: layout, format version, kind,
 * a pinned signer (else foreign), the signature (else the manifest was altered), every blob's
 * hash (else a payload was altered), expiry, that it was made for this workshop, the TUF chain
 * from the pinned root, the releases against the signed targets, and (unless skipped) that each
 * payload decrypts to its signed image. The verdict names every check passed and the first failed.
 */
export async function verifyBundle(
  path: string,
  deps: VerifyDeps,
  opts: { payloads?: 'all' | 'none' | string } = {}
): Promise<{ verdict: BundleVerdict; bundle?: VerifiedBundle }> {
  const now = deps.now?.() ?? Date.now()
  const checks: BundleCheck[] = []
  const pass = (check: BundleCheckName, detail: string) => checks.push({ check, ok: true, detail })
  let summary: BundleSummary | null = null
  try {
    const file = await opened(path)
    const signed = file.envelope.signed
    const listed = z.array(BlobEntry).max(1000).safeParse(signed.blobs)
    if (!listed.success) throw new Rejected('container', "The file's header does not list its blobs: the file is damaged or altered.")
    let ranges: BlobRange[]
    try {
      ranges = file.ranges(listed.data)
    } catch (err) {
      throw new Rejected('container', (err as Error).message)
    }
    pass('container', `${file.size} bytes, ${ranges.length} blob(s)`)
    pass('format', 'format version 1')

    if (signed.kind !== BUNDLE_KIND) {
      throw new Rejected('kind', signed.kind === RESULTS_KIND ? 'The file is a workshop results file, not an offline bundle.' : 'The file is not an offline bundle.')
    }
    pass('kind', 'an offline bundle')

    const pinned = file.envelope.signatures.flatMap((s) => deps.trust.forBackend(s.keyid).map((pin) => ({ pin, sig: s.sig })))
    if (pinned.length === 0) {
      const origin =
        typeof (signed.backend as { origin?: unknown } | undefined)?.origin === 'string' ? ` (it claims to come from ${(signed.backend as { origin: string }).origin})` : ''
      throw new Rejected(
        'signer',
        `The bundle is foreign: it is signed by key ${short(file.envelope.signatures[0]!.keyid)}, which this console has not pinned${origin}. Bundles are accepted only from a backend this console registered with as a workshop while online.`
      )
    }
    pass('signer', `signed by the backend key ${short(pinned[0]!.pin.backendKeyId)} pinned on ${pinned[0]!.pin.pinnedAt}`)

    if (!pinned.some(({ pin, sig }) => verifyCanonical(pin.backendKey, signed, sig))) {
      throw new Rejected('signature', "The bundle's signature does not verify: its manifest was altered after the backend signed it.")
    }
    const parsed = BundleManifest.safeParse(signed)
    if (!parsed.success)
      throw new Rejected(
        'signature',
        `The bundle's signed manifest is not one this console understands (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}).`
      )
    const manifest = parsed.data
    summary = summaryOf(manifest)
    pass('signature', 'the manifest is as the backend signed it')

    for (const range of ranges) {
      if ((await blobSha256(path, range)) !== range.sha256)
        throw new Rejected('blobs', `Blob ${range.name} differs from the signed manifest (its sha256 does not match): the file was altered after the backend signed it.`)
    }
    pass('blobs', `${ranges.length} blob(s) match their signed sha256`)

    if (Date.parse(manifest.expiresAt) <= now) throw new Rejected('expiry', `The bundle expired at ${manifest.expiresAt}; ask for a new one.`)
    pass('expiry', `valid until ${manifest.expiresAt}`)

    const pin = pinned.map((p) => p.pin).find((p) => p.workshopId === manifest.workshop.id)
    if (!pin) {
      const mine = [...new Set(pinned.map((p) => `${p.pin.workshopName} (${p.pin.workshopId})`))].join(', ')
      throw new Rejected('recipient', `The bundle was made for workshop ${manifest.workshop.name} (${manifest.workshop.id}); this console is workshop ${mine}.`)
    }
    const keys = await deps.keys.load(pin.profileId)
    if (!keys) throw new Rejected('recipient', "This console's workshop key is missing from the keychain: register the console again while online and ask for a new bundle.")
    if (manifest.contentKey.recipient !== keys.encryption.keyid)
      throw new Rejected('recipient', `The bundle's content key is wrapped for key ${short(manifest.contentKey.recipient)}, not this console's ${short(keys.encryption.keyid)}.`)
    const contentKey = unwrapContentKey(manifest.contentKey, manifest.workshop.id, manifest.id, keys.encryption.seed)
    if (!contentKey) throw new Rejected('recipient', "The bundle's content key does not open with this console's key: the bundle was altered.")
    pass('recipient', `made for this workshop, ${pin.workshopName}`)

    let tuf: ReturnType<typeof verifyOfflineTuf>
    try {
      tuf = verifyOfflineTuf(pin.root, (signed as { tuf: Parameters<typeof verifyOfflineTuf>[1] }).tuf, { now, madeAt: Date.parse(manifest.createdAt) })
    } catch (err) {
      if (err instanceof TufRejection) throw new Rejected('tuf', `The bundle's TUF metadata is not trusted: ${err.message}.`)
      throw err
    }
    if (tuf.advanced) deps.trust.advanceRoot(pin.profileId, tuf.root)
    pass('tuf', `chains to TUF root v${tuf.root.signed.version}; targets valid`)

    for (const r of manifest.releases) {
      const c = tuf.targets[r.targetPath]?.custom
      if (!c || c.releaseId !== r.id || c.model !== r.model || c.ecu !== r.ecu || c.version !== r.version || c.plaintextSha256 !== r.imageSha256) {
        throw new Rejected('releases', `Release ${r.id} (${r.model} ${r.ecu} ${r.version}) is not what the fleet's TUF targets sign at ${r.targetPath}.`)
      }
    }
    pass('releases', `${manifest.releases.length} release(s) signed in TUF targets`)

    const blobs = new Map(ranges.map((r) => [r.name, r]))
    const which = opts.payloads ?? 'all'
    if (which !== 'none') {
      for (const r of manifest.releases.filter((r) => which === 'all' || r.id === which)) {
        const range = blobs.get(r.payload)
        let image: { sha256: string; length: number } | undefined
        try {
          image = range && (await decryptPayload(path, range, contentKey))
        } catch {
          image = undefined
        }
        if (!image || image.sha256 !== r.imageSha256 || image.length !== r.imageLength) {
          throw new Rejected('payloads', `The payload of release ${r.id} does not decrypt to the image TUF signs: the bundle was altered.`)
        }
      }
      pass('payloads', 'every payload decrypts to its signed image')
    }
    const verdict: BundleVerdict = {
      ok: true,
      failed: null,
      message: `Verified: bundle ${manifest.id} of job "${manifest.job.name}", ${manifest.vehicles.length} vehicle(s), from ${manifest.backend.origin} for workshop ${pin.workshopName}, valid until ${manifest.expiresAt}.`,
      checks,
      bundle: summary
    }
    return { verdict, bundle: { path, manifest, pin, contentKey, blobs, targets: tuf.targets } }
  } catch (err) {
    if (!(err instanceof Rejected)) throw err
    checks.push({ check: err.check, ok: false, detail: err.message })
    return { verdict: { ok: false, failed: err.check, message: err.message, checks, bundle: summary } }
  }
}
