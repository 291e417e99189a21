/**
 * How numbers, byte sizes, dates and times read in a language: the one formatter the renderer and
 * otactl use. Intl formatters are costly to build and a table formats thousands of cells, so each
 * language's set is built once and kept.
 */
export interface Formats {
  readonly locale: string
  number(value: number, fractionDigits?: number): string
  /** Decimal units, as disks and network speeds are quoted: 1 MB = 1,000,000 bytes. */
  bytes(bytes: number): string
  rate(bytesPerSecond: number): string
  dateTime(at: Instant): string
  date(at: Instant): string
  time(at: Instant): string
}
export type Instant = string | number | Date

const BYTE_UNITS = ['kB', 'MB', 'GB', 'TB'] as const
const cache = new Map<string, Formats>()

function build(locale: string): Formats {
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })
  const fixed = new Map<number, Intl.NumberFormat>()
  const number = (value: number, fractionDigits = 0) => {
    if (fractionDigits === 0) return integer.format(value)
    let f = fixed.get(fractionDigits)
    if (!f) fixed.set(fractionDigits, (f = new Intl.NumberFormat(locale, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits })))
    return f.format(value)
  }
  const bytes = (n: number) => {
    if (Math.abs(n) < 1000) return `${number(n)} B`
    let value = n / 1000
    let unit = 0
    while (Math.abs(value) >= 1000 && unit < BYTE_UNITS.length - 1) {
      value /= 1000
      unit += 1
    }
    // Three significant digits at most: 1.23 MB, 45.6 MB, 200 kB.
    return `${number(value, Math.abs(value) < 10 ? 2 : Math.abs(value) < 100 ? 1 : 0)} ${BYTE_UNITS[unit]}`
  }
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' })
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' })
  const time = new Intl.DateTimeFormat(locale, { timeStyle: 'medium' })
  const instant = (at: Instant) => (at instanceof Date ? at : new Date(at))
  return {
    locale,
    number,
    bytes,
    rate: (bytesPerSecond) => `${bytes(Math.round(bytesPerSecond))}/s`,
    dateTime: (at) => dateTime.format(instant(at)),
    date: (at) => date.format(instant(at)),
    time: (at) => time.format(instant(at))
  }
}

export function formatsFor(locale: string): Formats {
  let formats = cache.get(locale)
  if (!formats) cache.set(locale, (formats = build(locale)))
  return formats
}
