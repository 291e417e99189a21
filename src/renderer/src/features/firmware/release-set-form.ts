import { EcuId } from '../../../../shared/fleet/catalog'
import { CreateReleaseSet, VersionRange } from '../../../../shared/fleet/release-sets'
import type { MessageKey } from '../../i18n'

/** The set form as typed: the model, name and version, the image chosen per ECU and what each installs after, the requirement lines. */
export interface ReleaseSetForm {
  model: string
  name: string
  version: string
  /** ECU → release id chosen ('' or absent: not in the set). */
  images: Record<string, string>
  /** ECU → the ECUs it installs after, as typed ("ECU_002, ECU_003"). */
  after: Record<string, string>
  requires: string
}

export type SetFormProblem = { key: MessageKey; vars?: Record<string, string> }

const list = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean)

/** The form as the backend takes it, or the first thing wrong with it, worded for the user. */
export function releaseSetOf(form: ReleaseSetForm): { input: CreateReleaseSet } | { problem: SetFormProblem } {
  const members = Object.entries(form.images).filter(([, id]) => id)
  if (!form.model) return { problem: { key: 'setsNeedModel' } }
  if (!members.length) return { problem: { key: 'setsNeedImage' } }
  const after: Record<string, string[]> = {}
  for (const [ecu] of members) {
    after[ecu] = list(form.after[ecu] ?? '')
    const bad = after[ecu]!.find((a) => !EcuId.safeParse(a).success)
    if (bad) return { problem: { key: 'setsBadAfter', vars: { ecu, value: bad } } }
  }
  const requires = []
  for (const line of form.requires
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const [ecu = '', ...range] = line.split(/\s+/)
    if (!EcuId.safeParse(ecu).success || !VersionRange.safeParse(range.join(' ')).success) return { problem: { key: 'setsBadRequirement', vars: { line } } }
    requires.push({ ecu, range: range.join(' ') })
  }
  const input = {
    model: form.model,
    name: form.name.trim(),
    version: form.version.trim(),
    members: members.map(([ecu, releaseId]) => ({ releaseId, after: after[ecu]! })),
    requires
  }
  const checked = CreateReleaseSet.safeParse(input)
  if (!checked.success) {
    const field = String(checked.error.issues[0]?.path[0] ?? '')
    return { problem: { key: field === 'name' ? 'setsBadName' : field === 'version' ? 'setsBadVersion' : 'setsInvalid', vars: { reason: checked.error.issues[0]?.message ?? '' } } }
  }
  return { input }
}
