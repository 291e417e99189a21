import { requestFrame, requestReader, responseFrame, responseReader } from '../frame'
import type { ServiceCodec } from '../service'
import { SID } from '../sids'

/** 0x37 RequestTransferExit; both parameter records are manufacturer-specific and usually empty. */

export interface RequestTransferExitRequest {
  data?: Uint8Array
}

export interface RequestTransferExitResponse {
  data?: Uint8Array
}

const sid = SID.requestTransferExit

export const requestTransferExit: ServiceCodec<RequestTransferExitRequest, RequestTransferExitResponse> = {
  sid,
  encodeRequest: ({ data = new Uint8Array() }) => requestFrame(sid, data),
  decodeRequest: (bytes) => ({ data: requestReader(bytes, sid).rest() }),
  encodeResponse: ({ data = new Uint8Array() }) => responseFrame(sid, data),
  decodeResponse: (bytes) => ({ data: responseReader(bytes, sid).rest() })
}
