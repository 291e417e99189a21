import { z } from 'zod'

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/

export const ModelName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'a model is lower-case letters, digits, _ and -')
export const EcuId = z.string().regex(/^ECU_\d{3}$|^GATEWAY$|^ZGW_\d{2}$/, 'an ECU id looks like ECU_001, ZGW_01 or GATEWAY')
export const SemVer = z.string().regex(SEMVER, 'not a semantic version (x.y.z)')
export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'not a sha256 in lower-case hex')
export const ReleaseId = z.string().regex(/^rel_[0-9a-z]{12,32}$/, 'not a release id')

/** Where a release lives in the TUF targets: the path vehicles and signers agree on. */
export const targetPath = (r: { model: string; ecu: string; version: string }) => `${r.model}/${r.ecu}/${r.version}.bin`

export const ArtifactView = z.object({ sha256: Sha256, size: z.number().int().nonnegative() })
export type ArtifactView = z.infer<typeof ArtifactView>

/** A release channel of a device model: every vehicle sees stable; a vehicle put on another channel sees that one too. */
export const Channel = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a channel is lower-case letters, digits and -, starting with a letter')
export const STABLE = 'stable'

/** Whether a vehicle on `channel` (null: none, so stable only) is offered a release in `releaseChannels`. */
export const channelSees = (channel: string | null, releaseChannels: readonly string[]) =>
  releaseChannels.includes(STABLE) || (channel !== null && releaseChannels.includes(channel))

export const CreateRelease = z
  .object({
    model: ModelName,
    ecu: EcuId,
    version: SemVer,
    hardware: z.array(z.string().min(1).max(64)).min(1).max(32),
    notes: z.string().max(10_000).default(''),
    artifactSha256: Sha256,
    /** Where it is offered once published; stable (every vehicle) unless it starts on, say, beta. */
    channels: z.array(Channel).min(1).max(8).default([STABLE])
  })
  .strict()
export type CreateRelease = z.input<typeof CreateRelease>

export const ReleaseView = z.object({
  id: ReleaseId,
  model: ModelName,
  ecu: EcuId,
  version: SemVer,
  hardware: z.array(z.string()),
  notes: z.string(),
  artifactSha256: Sha256,
  size: z.number().int(),
  published: z.boolean(),
  channels: z.array(z.string()),
  createdAt: z.string(),
  createdBy: z.string()
})
export type ReleaseView = z.infer<typeof ReleaseView>

export const ReleaseQuery = z.object({
  model: ModelName.optional(),
  ecu: EcuId.optional(),
  published: z.enum(['true', 'false']).optional()
})
