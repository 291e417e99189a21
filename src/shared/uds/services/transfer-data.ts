import { u8 } from '../bytes'
import { requestFrame, requestReader, responseFrame, responseReader } from '../frame'
import type { ServiceCodec } from '../service'
import { SID } from '../sids'

/** 0x36 TransferData. */

export interface TransferDataRequest {
  blockSequenceCounter: number
  /** The block of a download; empty for an upload. */
  data: Uint8Array
}

export interface TransferDataResponse {
  blockSequenceCounter: number
  /** transferResponseParameterRecord: the block of an upload, usually empty for a download. */
  data: Uint8Array
}

/** The counter of a download's first block. */
export const FIRST_BLOCK_SEQUENCE_COUNTER = 0x01

/** The counter after `counter`: it wraps 0xFF → 0x00, not back to 0x01. */
export const nextBlockSequenceCounter = (counter: number): number => (counter + 1) & 0xff

const sid = SID.transferData

export const transferData: ServiceCodec<TransferDataRequest, TransferDataResponse> = {
  sid,
  encodeRequest: ({ blockSequenceCounter, data }) => requestFrame(sid, u8(blockSequenceCounter, 'blockSequenceCounter'), data),
  decodeRequest(bytes) {
    const reader = requestReader(bytes, sid)
    return { blockSequenceCounter: reader.u8('blockSequenceCounter'), data: reader.rest() }
  },
  encodeResponse: ({ blockSequenceCounter, data }) => responseFrame(sid, u8(blockSequenceCounter, 'blockSequenceCounter'), data),
  decodeResponse(bytes) {
    const reader = responseReader(bytes, sid)
    return { blockSequenceCounter: reader.u8('blockSequenceCounter'), data: reader.rest() }
  }
}
