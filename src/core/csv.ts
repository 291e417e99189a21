/** Spreadsheets read a cell starting with one of these as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/

/** Makes Excel read the file as UTF-8, so Japanese text opens as written. */
export const UTF8_BOM = '\uFEFF'

/**
 * One CSV field as RFC 4180 wants it, quoted when it holds a comma, quote or line break; a
 * value a spreadsheet would run as a formula gets a leading apostrophe and stays text.
 */
export function csvField(value: string): string {
  const text = FORMULA_START.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** A whole CSV document: BOM, header, rows, each line ended by CRLF. */
export const toCsv = (header: readonly string[], rows: readonly (readonly string[])[]) =>
  UTF8_BOM + [header, ...rows].map((fields) => `${fields.map(csvField).join(',')}\r\n`).join('')
