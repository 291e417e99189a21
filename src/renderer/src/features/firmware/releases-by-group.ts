import type { ReleaseView } from '../../../../shared/fleet/catalog'

export interface EcuGroup {
  ecu: string
  releases: ReleaseView[]
}
export interface ModelGroup {
  model: string
  ecus: EcuGroup[]
}

const parts = (v: string) => {
  const [core = '', pre] = v.split('+')[0]!.split(/-(.*)/s)
  return { nums: core.split('.').map(Number), pre }
}

/** Semantic-version order: numbers compared as numbers, a pre-release before its release. */
export function compareVersions(a: string, b: string) {
  const x = parts(a)
  const y = parts(b)
  for (let i = 0; i < 3; i++) if (x.nums[i] !== y.nums[i]) return (x.nums[i] ?? 0) - (y.nums[i] ?? 0)
  if (x.pre === y.pre) return 0
  if (x.pre === undefined) return 1
  if (y.pre === undefined) return -1
  return x.pre < y.pre ? -1 : 1
}

/** Releases by model, then ECU, both alphabetical; newest version first within an ECU. */
export function groupReleases(releases: readonly ReleaseView[]): ModelGroup[] {
  const byModel = new Map<string, Map<string, ReleaseView[]>>()
  for (const r of releases) {
    const ecus = byModel.get(r.model) ?? byModel.set(r.model, new Map()).get(r.model)!
    ;(ecus.get(r.ecu) ?? ecus.set(r.ecu, []).get(r.ecu)!).push(r)
  }
  return [...byModel.keys()].sort().map((model) => {
    const ecus = byModel.get(model)!
    return { model, ecus: [...ecus.keys()].sort().map((ecu) => ({ ecu, releases: ecus.get(ecu)!.sort((a, b) => compareVersions(b.version, a.version)) })) }
  })
}
