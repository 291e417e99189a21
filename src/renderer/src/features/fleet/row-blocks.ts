import type { FleetRow } from '../../../../shared/calls/fleet'

/** Rows are fetched and kept in blocks of this many. */
export const BLOCK = 100
/** Blocks kept per query: enough to scroll back a little without asking again. */
export const KEPT_BLOCKS = 40

export interface Block {
  rows: FleetRow[]
  /** The copy's version these rows were read at; an older block is shown but asked again. */
  version: number
}

/**
 * Runs of consecutive blocks (first block, count) covering rows first…last that are neither
 * current nor on their way. The first block is always covered, so an empty or unknown total is
 * asked again when the copy changes.
 */
export function missingRuns(
  first: number,
  last: number,
  total: number | null,
  blocks: ReadonlyMap<number, Block>,
  pending: ReadonlySet<number>,
  version: number,
  maxBlocks: number
) {
  const runs: { block: number; count: number }[] = []
  const end = Math.max(first, total === null ? last : Math.min(last, total - 1))
  for (let b = Math.floor(first / BLOCK); b <= Math.floor(end / BLOCK); b++) {
    if (pending.has(b) || blocks.get(b)?.version === version) continue
    const run = runs.at(-1)
    if (run && run.block + run.count === b && run.count < maxBlocks) run.count++
    else runs.push({ block: b, count: 1 })
  }
  return runs
}

/** Keeps the blocks nearest to the rows in view, dropping the farthest beyond KEPT_BLOCKS. */
export function trimmed(blocks: Map<number, Block>, near: number): Map<number, Block> {
  if (blocks.size <= KEPT_BLOCKS) return blocks
  const centre = Math.floor(near / BLOCK)
  const keep = [...blocks.keys()].sort((a, b) => Math.abs(a - centre) - Math.abs(b - centre)).slice(0, KEPT_BLOCKS)
  return new Map(keep.map((b) => [b, blocks.get(b)!]))
}

export const rowAt = (blocks: ReadonlyMap<number, Block>, index: number): FleetRow | undefined => blocks.get(Math.floor(index / BLOCK))?.rows[index % BLOCK]
