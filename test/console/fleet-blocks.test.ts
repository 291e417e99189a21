import { describe, expect, it } from 'vitest'
import { BLOCK, KEPT_BLOCKS, missingRuns, trimmed, type Block } from '../../src/renderer/src/features/fleet/row-blocks'

const block = (version: number): Block => ({ rows: [], version })
const blocks = (entries: [number, number][]) => new Map(entries.map(([b, v]) => [b, block(v)]))

// Which rows the fleet table asks the core for as it scrolls: only what is missing or out of
// date, in as few calls as the window limit allows, and never past the end of the fleet.
describe('the fleet table asking for rows', () => {
  it('asks for the blocks in view that are neither current nor on their way, in runs', () => {
    const have = blocks([
      [0, 3],
      [2, 3],
      [3, 2]
    ])
    expect(missingRuns(0, 5 * BLOCK - 1, 10_000, have, new Set([4]), 3, 5)).toEqual([
      { block: 1, count: 1 },
      { block: 3, count: 1 }
    ])
  })

  it('splits a long run at the largest window, and stops at the last row', () => {
    expect(missingRuns(0, 20 * BLOCK, 7 * BLOCK + 1, new Map(), new Set(), 0, 5)).toEqual([
      { block: 0, count: 5 },
      { block: 5, count: 3 }
    ])
  })

  it('asks for the first block again when the copy changed, even while it is empty or its size unknown', () => {
    expect(missingRuns(0, 40, 0, blocks([[0, 1]]), new Set(), 2, 5)).toEqual([{ block: 0, count: 1 }])
    expect(missingRuns(0, 40, 0, blocks([[0, 2]]), new Set(), 2, 5)).toEqual([])
    expect(missingRuns(0, 250, null, new Map(), new Set(), 0, 5)).toEqual([{ block: 0, count: 3 }])
  })

  it('keeps the blocks nearest the view when it holds too many', () => {
    const many = blocks(Array.from({ length: KEPT_BLOCKS + 10 }, (_, b) => [b, 0] as [number, number]))
    const kept = trimmed(many, (KEPT_BLOCKS + 9) * BLOCK)
    expect(kept.size).toBe(KEPT_BLOCKS)
    expect(kept.has(KEPT_BLOCKS + 9)).toBe(true)
    expect(kept.has(0)).toBe(false)
  })
})
