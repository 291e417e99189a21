import semver from 'semver'

/**
 * The one version order of the product: semver precedence (1.10.0 after 1.9.0, 2.0.0-rc.10 after
 * rc.9, a pre-release before its release), build metadata as the tie-break so the order is total.
 * A string that is not semver sorts after every valid version, by its text, so a stray value
 * neither throws nor hides among the releases.
 */
export function compareVersions(a: string, b: string): number {
  const x = semver.parse(a)
  const y = semver.parse(b)
  if (x && y) return semver.compareBuild(x, y)
  if (x) return -1
  if (y) return 1
  return a < b ? -1 : a > b ? 1 : 0
}
