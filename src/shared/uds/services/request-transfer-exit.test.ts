import { describe, expect, it } from 'vitest'
import { requestTransferExit } from './request-transfer-exit'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

describe('0x37 RequestTransferExit', () => {
  it('ends the transfer with optional parameter records', () => {
    expect(requestTransferExit.encodeRequest({})).toEqual(hex('37'))
    expect(requestTransferExit.decodeRequest(hex('37'))).toEqual({ data: hex('') })
    expect(requestTransferExit.encodeResponse({ data: hex('12 34') })).toEqual(hex('77 12 34'))
    expect(requestTransferExit.decodeResponse(hex('77 12 34'))).toEqual({ data: hex('12 34') })
  })

  it('refuses a frame of another service', () => {
    expect(() => requestTransferExit.decodeResponse(hex('76 01'))).toThrow('0x37 response: expected SID 0x77, got 0x76')
  })
})
