import { describe, expect, it } from 'vitest'
import { formatsFor } from './format'

describe('formatsFor', () => {
  it('writes sizes in decimal units with the language’s digits', () => {
    const en = formatsFor('en')
    expect([999, 1_234, 200_000, 1_234_567, 45_600_000, 7_000_000_000_000_000].map(en.bytes)).toEqual(['999 B', '1.23 kB', '200 kB', '1.23 MB', '45.6 MB', '7,000 TB'])
    expect(en.rate(2_500_000.4)).toBe('2.50 MB/s')
    expect(formatsFor('de').bytes(1_234_567)).toBe('1,23 MB')
    expect(formatsFor('ja').number(1234567)).toBe('1,234,567')
  })

  it('writes dates and times the language’s way, whatever the machine’s locale', () => {
    const at = '2026-03-29T12:34:56Z'
    const local = new Date(at)
    const two = (n: number) => String(n).padStart(2, '0')
    expect(formatsFor('ja').dateTime(at)).toBe(
      `${local.getFullYear()}/${two(local.getMonth() + 1)}/${two(local.getDate())} ${local.getHours()}:${two(local.getMinutes())}:${two(local.getSeconds())}`
    )
    expect(formatsFor('en').date(at)).toMatch(/^[A-Z][a-z]{2} \d{1,2}, 2026$/)
    expect(formatsFor('en').time(local.getTime())).toMatch(/^\d{1,2}:\d{2}:\d{2}\s[AP]M$/)
  })

  it('keeps one set of formatters per language', () => {
    expect(formatsFor('en')).toBe(formatsFor('en'))
    expect(formatsFor('en')).not.toBe(formatsFor('ja'))
  })
})
