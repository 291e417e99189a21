import { z } from 'zod'
import { ExportBundleRequest, ResultsImportReport, WorkshopView } from '../bundle/api'
import { BundleId, BundleRelease, BundleVehicle, JobId, KeyId, WorkshopId, WorkshopResult } from '../bundle/manifest'
import { BundleSummary, BundleVerdict } from '../bundle/report'
import { call } from './call'
import { UPLOAD_CHUNK_BYTES } from './firmware'

/**
 * A file the core holds for the renderer, which has no paths in the browser host: bundles and
 * results files come in and go out in base64 chunks of at most UPLOAD_CHUNK_BYTES.
 */
export const FileId = z.string().regex(/^fil_[0-9a-f]{16}$/, 'not a file id')
export const FileRef = z.object({ fileId: FileId, name: z.string(), size: z.number().int() })
export type FileRef = z.infer<typeof FileRef>
const ByFile = z.object({ fileId: FileId }).strict()
const ByBundle = z.object({ bundleId: BundleId }).strict()
const BASE64_CHUNK_CHARS = 4 * Math.ceil(UPLOAD_CHUNK_BYTES / 3)

/** This console as a workshop of the active profile's backend: registered, and what it pinned. */
export const WorkshopStatus = z.object({
  workshop: z.object({ id: WorkshopId, name: z.string() }).nullable(),
  backend: z.object({ keyid: KeyId, origin: z.string(), rootVersion: z.number().int() }).nullable(),
  pinnedAt: z.string().nullable()
})
export type WorkshopStatus = z.infer<typeof WorkshopStatus>

export const ImportedBundle = BundleSummary.extend({
  importedAt: z.string(),
  expired: z.boolean(),
  results: z.object({ succeeded: z.number().int(), failed: z.number().int() })
})
export type ImportedBundle = z.infer<typeof ImportedBundle>

/** One imported bundle with what a workshop flashes from it and what it recorded so far. */
export const BundleDetail = z.object({ bundle: ImportedBundle, releases: z.array(BundleRelease), vehicles: z.array(BundleVehicle), results: z.array(WorkshopResult) })
export type BundleDetail = z.infer<typeof BundleDetail>

export const bundleCalls = {
  'bundles.workshop': call(z.void(), WorkshopStatus),
  /** Online: makes this console's workshop keys, registers them (admin) and pins the backend's bundle key and TUF root. */
  'bundles.registerWorkshop': call(z.object({ name: z.string().trim().min(1).max(100) }).strict(), WorkshopStatus),
  'bundles.workshops': call(z.void(), z.object({ workshops: z.array(WorkshopView) })),
  /** Online: the job's queued vehicles as a signed bundle for one workshop, held here as a file to save. */
  'bundles.export': call(ExportBundleRequest.extend({ jobId: JobId }).strict(), FileRef.extend({ bundleId: BundleId })),
  /** Offline: every check a bundle file passes, and the first it fails with its reason. */
  'bundles.verify': call(ByFile, BundleVerdict),
  'bundles.import': call(ByFile, ImportedBundle),
  'bundles.list': call(z.void(), z.object({ bundles: z.array(ImportedBundle) })),
  'bundles.get': call(ByBundle, BundleDetail),
  /** The workshop's results of a bundle as a signed file, to take back online. */
  'bundles.exportResults': call(ByBundle, FileRef),
  /** Online: a workshop's results file into the job's executions; importing twice changes nothing. */
  'bundles.importResults': call(ByFile, ResultsImportReport),
  'bundles.fileBegin': call(
    z.object({ name: z.string().trim().min(1).max(255), size: z.number().int().positive('the file is empty') }).strict(),
    z.object({ fileId: FileId, chunkBytes: z.number().int() })
  ),
  'bundles.fileChunk': call(
    z.object({ fileId: FileId, offset: z.number().int().nonnegative(), data: z.base64().max(BASE64_CHUNK_CHARS, `a chunk carries at most ${UPLOAD_CHUNK_BYTES} bytes`) }).strict(),
    z.object({ received: z.number().int() })
  ),
  'bundles.fileFinish': call(ByFile, FileRef),
  /** A piece of a file the core made (a bundle, a results file), from offset; done at its end. */
  'bundles.fileRead': call(z.object({ fileId: FileId, offset: z.number().int().nonnegative() }).strict(), z.object({ data: z.string(), done: z.boolean() })),
  'bundles.fileDiscard': call(ByFile, z.void())
}

export const bundleEvents = {
  /** A bundle was imported or a workshop result recorded for it. */
  'bundles.changed': z.object({ bundleId: BundleId })
}
