import { describe, expect, it } from 'vitest'
import { parseVins, serviceOperation, toggleDid } from '../../src/renderer/src/features/diagnostics/diagnostics-form'
import { DiagRunInput } from '../../src/shared/calls/diagnostic-runs'
import { operationRequest } from '../../src/shared/calls/uds-operation'
import { toHex } from '../../src/shared/uds'

// What the Diagnostics and Workshop screens send, from what a user typed: the exact request bytes,
// and each mistake named before anything goes out.
describe('diagnostics form', () => {
  it('sends the bytes of ISO 14229-1 for each service', () => {
    expect(toHex(operationRequest({ kind: 'readDtcs', statusMask: 0x08 }))).toBe('190208')
    expect(toHex(operationRequest({ kind: 'readDids', dids: ['F190', 'F195'] }))).toBe('22F190F195')
    expect(toHex(operationRequest({ kind: 'raw', uds: '3E00' }))).toBe('3E00')
  })

  it('reads DIDs and raw hex as typed, and names what is wrong', () => {
    const form = { kind: 'readDids' as const, dids: ' f190, 0xF195 ', statusMask: 0xff, raw: '' }
    expect(serviceOperation(form)).toEqual({ operation: { kind: 'readDids', dids: ['F190', 'F195'] } })
    expect(serviceOperation({ ...form, dids: '' })).toEqual({ problem: 'dxNeedDids' })
    expect(serviceOperation({ ...form, dids: 'F190 F19' })).toEqual({ problem: 'dxBadDid', detail: 'F19' })
    expect(serviceOperation({ ...form, dids: Array.from({ length: 17 }, (_, i) => `F1${(0x80 + i).toString(16)}`).join(' ') })).toEqual({ problem: 'dxTooManyDids' })
    expect(serviceOperation({ ...form, kind: 'raw', raw: '22 f1 90' })).toEqual({ operation: { kind: 'raw', uds: '22F190' } })
    expect(serviceOperation({ ...form, kind: 'raw', raw: '22 F1 9' })).toEqual({ problem: 'dxBadHex' })
    expect(serviceOperation({ ...form, kind: 'raw', raw: '  ' })).toEqual({ problem: 'dxNeedHex' })
    expect(toggleDid('F190 F195', 'F195')).toBe('F190')
    expect(toggleDid('F190', 'F18C')).toBe('F190 F18C')
  })

  it('takes pasted VINs in any layout, each once, and lists what is no VIN', () => {
    const a = 'SMVXAU98KX0000000'
    const b = 'SMV14XFBFXS000042'
    expect(parseVins(`${a}\n${b.toLowerCase()}, ${a};  NOTAVIN  SMVIOQ0000000000X`)).toEqual({ vins: [a, b], invalid: ['NOTAVIN', 'SMVIOQ0000000000X'] })
    expect(DiagRunInput.safeParse({ vins: [a, a], ecus: 'all', operation: { kind: 'raw', uds: '3E00' } }).error?.issues[0]?.message).toBe('a VIN is listed twice')
  })
})
