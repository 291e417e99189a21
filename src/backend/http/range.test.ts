import { describe, expect, it } from 'vitest'
import { parseRange } from './range'

describe('parseRange', () => {
  it.each([
    ['bytes=0-99', { start: 0, end: 99 }],
    ['bytes=100-', { start: 100, end: 999 }],
    ['bytes=-100', { start: 900, end: 999 }],
    ['bytes=900-5000', { start: 900, end: 999 }],
    ['bytes=1000-', 'unsatisfiable'],
    ['bytes=5-4', 'unsatisfiable'],
    ['bytes=-0', 'unsatisfiable'],
    ['bytes=0-1,5-6', 'unsatisfiable'],
    ['items=0-1', 'unsatisfiable']
  ])('%s of 1000 bytes is %o', (header, expected) => {
    expect(parseRange(header, 1000)).toEqual(expected)
  })
  it('is absent without a header', () => expect(parseRange(undefined, 10)).toBeUndefined())
})
