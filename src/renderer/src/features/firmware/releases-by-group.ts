import type { ReleaseView } from '../../../../shared/fleet/catalog'
import { compareVersions } from '../../../../shared/version'

export interface EcuGroup {
  ecu: string
  releases: ReleaseView[]
}
export interface ModelGroup {
  model: string
  ecus: EcuGroup[]
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
