import { describe, expect, it } from 'vitest'
import { fillMessage, placeholdersOf } from './message'

describe('fillMessage', () => {
  const vehicles = '{count, plural, one {# vehicle} other {# vehicles}} chosen: {vins}'

  it('picks the plural form of the language and writes the number in its digits', () => {
    expect(fillMessage('en', vehicles, { count: 1, vins: 'A' })).toBe('1 vehicle chosen: A')
    expect(fillMessage('en', vehicles, { count: 2, vins: 'A, B' })).toBe('2 vehicles chosen: A, B')
    expect(fillMessage('en', vehicles, { count: 12345, vins: '…' })).toBe('12,345 vehicles chosen: …')
    expect(fillMessage('en', vehicles, { count: 0, vins: '' })).toBe('0 vehicles chosen: ')
    expect(fillMessage('ja', '{count} 台を選択', { count: 12345 })).toBe('12,345 台を選択')
  })

  it('takes an exact form before the plural category, and fills values inside a form', () => {
    const text = '{n, plural, =0 {No entries} one {One entry in {file}} other {# entries in {file}}}'
    expect(fillMessage('en', text, { n: 0, file: 'a.csv' })).toBe('No entries')
    expect(fillMessage('en', text, { n: 1, file: 'a.csv' })).toBe('One entry in a.csv')
    expect(fillMessage('en', text, { n: 3, file: 'a.csv' })).toBe('3 entries in a.csv')
  })

  it('leaves strings as given and an absent value empty', () => {
    expect(fillMessage('en', 'Wave {n}: {words}', { n: '2' })).toBe('Wave 2: ')
  })

  it('names the values a text uses, plural ones included', () => {
    expect(placeholdersOf(vehicles)).toEqual(['count', 'vins'])
    expect(placeholdersOf('{count} 台を選択: {vins}')).toEqual(['count', 'vins'])
    expect(placeholdersOf('after {every, plural, one {success} other {# successes in {file}}}')).toEqual(['every', 'file'])
  })
})
