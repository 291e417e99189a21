import { describe, expect, it } from 'vitest'
import { sources } from './catalogs'
import { placeholdersOf } from './message'

describe('message catalogs', () => {
  it('define each key in one place only, so no feature silently overwrites another’s text', () => {
    const seen = new Map<string, number>()
    const clashes: string[] = []
    sources.forEach((source, i) => {
      for (const key of Object.keys(source.en)) {
        if (seen.has(key)) clashes.push(`${key} (catalogs ${seen.get(key)} and ${i})`)
        seen.set(key, i)
      }
    })
    expect(clashes).toEqual([])
  })

  it('have Japanese for every English string, with the same placeholders', () => {
    const problems: string[] = []
    for (const source of sources) {
      const ja = source.ja as Record<string, string>
      for (const [key, text] of Object.entries(source.en as Record<string, string>)) {
        const jaText = ja[key]
        if (!jaText) problems.push(`${key}: no Japanese`)
        else if (placeholdersOf(text).join() !== placeholdersOf(jaText).join()) problems.push(`${key}: placeholders differ`)
      }
    }
    expect(problems).toEqual([])
  })
})
