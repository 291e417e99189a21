import { Channel, EcuId, ModelName, SemVer, STABLE, type CreateRelease } from '../../../../shared/fleet/catalog'
import type { MessageKey } from '../../i18n/catalogs'

export interface ReleaseForm {
  model: string
  ecu: string
  version: string
  hardware: string
  notes: string
  /** The channels it is offered on once published, comma-separated: stable unless it starts on, say, beta. */
  channels: string
}
export type ReleaseFormErrors = Partial<Record<keyof ReleaseForm, MessageKey>>

export const EMPTY_RELEASE_FORM: ReleaseForm = { model: '', ecu: '', version: '', hardware: '', notes: '', channels: STABLE }

/** Hardware revisions (or channels) as typed: one per line or separated by commas. */
export const hardwareList = (text: string) => [
  ...new Set(
    text
      .split(/[,\n]/)
      .map((h) => h.trim())
      .filter(Boolean)
  )
]

/** The release to create, or what is wrong with each field (checked by the backend's own schemas). */
export function validateRelease(form: ReleaseForm, artifactSha256: string): { release?: CreateRelease; errors: ReleaseFormErrors } {
  const errors: ReleaseFormErrors = {}
  const model = form.model.trim()
  const ecu = form.ecu.trim()
  const version = form.version.trim()
  const hardware = hardwareList(form.hardware)
  const channels = hardwareList(form.channels)
  if (!ModelName.safeParse(model).success) errors.model = model ? 'fwModelInvalid' : 'fwModelRequired'
  if (!EcuId.safeParse(ecu).success) errors.ecu = ecu ? 'fwEcuInvalid' : 'fwEcuRequired'
  if (!SemVer.safeParse(version).success) errors.version = version ? 'fwVersionInvalid' : 'fwVersionRequired'
  if (hardware.length === 0) errors.hardware = 'fwHardwareRequired'
  else if (hardware.length > 32 || hardware.some((h) => h.length > 64)) errors.hardware = 'fwHardwareTooLong'
  if (form.notes.length > 10_000) errors.notes = 'fwNotesTooLong'
  if (channels.length === 0 || channels.length > 8 || channels.some((c) => !Channel.safeParse(c).success)) errors.channels = 'fwChannelsInvalid'
  if (Object.keys(errors).length) return { errors }
  return { release: { model, ecu, version, hardware, notes: form.notes.trim(), artifactSha256, channels }, errors }
}
