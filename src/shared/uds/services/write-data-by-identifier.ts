import { u16 } from '../bytes'
import type { DidData } from '../did-data'
import { requestFrame, requestReader, responseFrame, responseReader } from '../frame'
import type { ServiceCodec } from '../service'
import { SID } from '../sids'

/** 0x2E WriteDataByIdentifier: one DID and its bytes (encodeDidValue turns a display value into them). */

export type WriteDataByIdentifierRequest = DidData

export interface WriteDataByIdentifierResponse {
  did: number
}

const sid = SID.writeDataByIdentifier

export const writeDataByIdentifier: ServiceCodec<WriteDataByIdentifierRequest, WriteDataByIdentifierResponse> = {
  sid,
  encodeRequest({ did, data }) {
    if (data.length === 0) throw new RangeError('0x2E request needs at least one data byte')
    return requestFrame(sid, u16(did, 'DID'), data)
  },
  decodeRequest(bytes) {
    const reader = requestReader(bytes, sid)
    const did = reader.u16('DID')
    if (reader.remaining === 0) throw reader.error('no data record after the DID')
    return { did, data: reader.rest() }
  },
  encodeResponse: ({ did }) => responseFrame(sid, u16(did, 'DID')),
  decodeResponse(bytes) {
    const reader = responseReader(bytes, sid)
    const did = reader.u16('DID')
    reader.end('DID')
    return { did }
  }
}
