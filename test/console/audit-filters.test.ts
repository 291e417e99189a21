import { describe, expect, it } from 'vitest'
import { EMPTY_FORM, exportFileName, hasFilters, rangeInverted, toFilters } from '../../src/renderer/src/features/audit/audit-filters'

// The filter bar speaks in the user's days; the backend in instants.
describe('audit filter bar', () => {
  it('asks for nothing it was not given, trimmed', () => {
    expect(toFilters(EMPTY_FORM)).toEqual({})
    expect(toFilters({ ...EMPTY_FORM, q: '  upload  ', actor: ' vera ', action: 'token.create', outcome: 'denied' })).toEqual({
      q: 'upload',
      actor: 'vera',
      action: 'token.create',
      outcome: 'denied'
    })
    expect(hasFilters({ ...EMPTY_FORM, q: '   ' })).toBe(false)
    expect(hasFilters({ ...EMPTY_FORM, outcome: 'failed' })).toBe(true)
  })

  it('turns a range of local days into [start of the first, start of the day after the last)', () => {
    const filters = toFilters({ ...EMPTY_FORM, since: '2025-03-01', until: '2025-03-31' })
    expect(filters.since).toBe(new Date(2025, 2, 1).toISOString())
    expect(filters.until).toBe(new Date(2025, 3, 1).toISOString())
    expect(toFilters({ ...EMPTY_FORM, until: '2024-12-31' }).until).toBe(new Date(2025, 0, 1).toISOString())
  })

  it('notices a range that ends before it starts; one day is a valid range', () => {
    expect(rangeInverted({ ...EMPTY_FORM, since: '2025-03-02', until: '2025-03-01' })).toBe(true)
    expect(rangeInverted({ ...EMPTY_FORM, since: '2025-03-01', until: '2025-03-01' })).toBe(false)
    expect(rangeInverted({ ...EMPTY_FORM, since: '2025-03-02' })).toBe(false)
  })

  it('names an export after the local minute it was taken', () => {
    expect(exportFileName(new Date(2025, 0, 5, 9, 7))).toBe('audit-log-2025-01-05-0907.csv')
  })
})
