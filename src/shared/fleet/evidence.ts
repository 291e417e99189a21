import { z } from 'zod'
import { TufKey } from '../tuf/metadata'

/** One update of one ECU as the backend saw it happen: what a software update management audit asks to see. */
export const EvidenceRecord = z.object({
  jobId: z.string().nullable(),
  jobName: z.string().nullable(),
  jobCreatedBy: z.string().nullable(),
  release: z.object({ id: z.string(), ecu: z.string(), version: z.string(), imageSha256: z.string() }),
  approval: z
    .object({
      requiredBy: z.string(),
      decision: z.string().nullable(),
      by: z.string().nullable(),
      role: z.string().nullable(),
      comment: z.string().nullable(),
      at: z.string().nullable()
    })
    .nullable(),
  offeredAt: z.string().nullable(),
  /** full, delta, or delta-fallback (a delta did not fit and the full image came); null when not known. */
  delivery: z.string().nullable(),
  outcome: z.string(),
  cause: z.string().nullable(),
  /** The health window (whole seconds: canonical JSON has no fractions) and its verdict: healthy, unhealthy (cause), pending (window open), or none (the job had no window). */
  health: z.object({ windowSeconds: z.number().int(), verdict: z.enum(['healthy', 'unhealthy', 'pending', 'none']) }),
  rolledBack: z.boolean(),
  steps: z.array(z.object({ step: z.string(), percent: z.number(), cause: z.string().nullable(), at: z.string() }))
})
export type EvidenceRecord = z.infer<typeof EvidenceRecord>

export const EvidenceSigned = z.object({
  _type: z.literal('ota-update-evidence'),
  version: z.literal(1),
  vin: z.string(),
  model: z.string(),
  generatedAt: z.string(),
  generatedBy: z.string(),
  records: z.array(EvidenceRecord)
})

/** The document: signed (ed25519 over its canonical JSON, as TUF signs) by the backend's evidence key, whose public half it names. */
export const UpdateEvidence = z.object({
  signed: EvidenceSigned,
  signatures: z.array(z.object({ keyid: z.string(), sig: z.string() })).min(1),
  key: TufKey
})
export type UpdateEvidence = z.infer<typeof UpdateEvidence>
