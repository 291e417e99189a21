import { u16 } from '../bytes'
import { BUILTIN_DID_CATALOG } from '../did-catalog'
import { type DidData, encodeDidData, readDidData } from '../did-data'
import { requestFrame, requestReader, responseFrame, responseReader } from '../frame'
import type { ServiceCodec } from '../service'
import { SID } from '../sids'

/** 0x22 ReadDataByIdentifier: several DIDs in one request; the response needs the DID catalog to split. */

export interface ReadDataByIdentifierRequest {
  dids: number[]
}

export interface ReadDataByIdentifierResponse {
  records: DidData[]
}

const sid = SID.readDataByIdentifier

export const readDataByIdentifier: ServiceCodec<ReadDataByIdentifierRequest, ReadDataByIdentifierResponse> = {
  sid,
  encodeRequest({ dids }) {
    if (dids.length === 0) throw new RangeError('0x22 request needs at least one DID')
    return requestFrame(sid, ...dids.map((did) => u16(did, 'DID')))
  },
  decodeRequest(bytes) {
    const reader = requestReader(bytes, sid)
    if (reader.remaining === 0 || reader.remaining % 2 !== 0) throw reader.error(`needs one or more 2-byte DIDs, got ${reader.remaining} bytes`)
    const dids: number[] = []
    while (reader.remaining > 0) dids.push(reader.u16('DID'))
    return { dids }
  },
  encodeResponse({ records }) {
    if (records.length === 0) throw new RangeError('0x22 response needs at least one DID')
    return responseFrame(sid, ...records.map(encodeDidData))
  },
  decodeResponse(bytes, options = {}) {
    const reader = responseReader(bytes, sid)
    if (reader.remaining === 0) throw reader.error('no DID in the response')
    const records: DidData[] = []
    while (reader.remaining > 0) records.push(readDidData(reader, options.didCatalog ?? BUILTIN_DID_CATALOG))
    return { records }
  }
}
