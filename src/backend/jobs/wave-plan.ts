import type { Wave } from '../../shared/fleet/jobs'

/**
 * How many of the selected vehicles each wave takes, in order. Percentages are of the whole
 * selection; the last wave takes whatever is left, so no selected vehicle is left out.
 */
export function planWaves(total: number, waves: readonly Wave[]): number[] {
  let remaining = total
  return waves.map((wave, i) => {
    if (i === waves.length - 1) {
      const rest = remaining
      remaining = 0
      return rest
    }
    const wanted = 'count' in wave.size ? wave.size.count : Math.max(1, Math.round((total * wave.size.percent) / 100))
    const size = Math.min(wanted, remaining)
    remaining -= size
    return size
  })
}
