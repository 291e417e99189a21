import { describe, expect, it } from 'vitest'
import { AUDIT_CSV_HEADER, auditCsv } from '../../src/core/audit/audit-csv'
import { csvField, toCsv } from '../../src/core/csv'

// The export must open in a spreadsheet as the log says it, and never run what a user typed.
describe('audit CSV', () => {
  it('quotes commas, quotes and line breaks as RFC 4180 says, and leaves plain text bare', () => {
    expect(csvField('release.publish')).toBe('release.publish')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('line 1\nline 2')).toBe('"line 1\nline 2"')
    expect(csvField('cr\rlf')).toBe('"cr\rlf"')
    expect(csvField('')).toBe('')
  })

  it('keeps a cell a spreadsheet would run as a formula as text, with a leading apostrophe', () => {
    expect(csvField('=1+1')).toBe("'=1+1")
    expect(csvField('+49 30')).toBe("'+49 30")
    expect(csvField('-2')).toBe("'-2")
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvField('\t=cmd')).toBe("'\t=cmd")
    expect(csvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"')
    expect(csvField('a=b')).toBe('a=b')
  })

  it('starts with a UTF-8 byte-order mark and ends every line, header first, with CRLF', () => {
    const csv = toCsv(
      ['a', 'b'],
      [
        ['1', '東京'],
        ['x,y', '']
      ]
    )
    expect(csv).toBe('\uFEFFa,b\r\n1,東京\r\n"x,y",\r\n')
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]))
  })

  it('writes an audit entry as one row under the audit header, time in UTC as logged', () => {
    const csv = auditCsv([
      {
        id: 7,
        at: '2025-03-01T09:30:00.000Z',
        actor: 'vera',
        role: 'viewer',
        action: 'token.create',
        object: '/api/v1/tokens',
        outcome: 'denied',
        detail: 'Role viewer may not token.create; it needs admin'
      }
    ])
    expect(csv.split('\r\n')).toEqual([
      `\uFEFF${AUDIT_CSV_HEADER.join(',')}`,
      '7,2025-03-01T09:30:00.000Z,vera,viewer,token.create,/api/v1/tokens,denied,Role viewer may not token.create; it needs admin',
      ''
    ])
  })
})
