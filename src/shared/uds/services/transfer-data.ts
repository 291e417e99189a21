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

/** One 0x36 request of a download: `frame` is SID, counter and the image's bytes from `offset`. */
export interface TransferBlock {
  frame: Uint8Array
  counter: number
  offset: number
  length: number
}

/**
 * The 0x36 requests that carry `image` in blocks of `dataPerBlock` bytes, counter from 01 and
 * wrapping FF → 00, written one after another into the same buffer: a frame is valid until the
 * next one is taken. A tester sends a block only once the one before is answered, so that is all
 * it needs, and a 64 MiB image is not copied into a thousand new arrays on the way out.
 */
export function* transferDataRequests(image: Uint8Array, dataPerBlock: number): Generator<TransferBlock> {
  if (!Number.isInteger(dataPerBlock) || dataPerBlock < 1) throw new RangeError(`a block carries at least one byte, not ${dataPerBlock}`)
  const buffer = new Uint8Array(2 + Math.min(dataPerBlock, image.length))
  buffer[0] = sid
  let counter = FIRST_BLOCK_SEQUENCE_COUNTER
  for (let offset = 0; offset < image.length; offset += dataPerBlock) {
    const length = Math.min(dataPerBlock, image.length - offset)
    buffer[1] = counter
    buffer.set(image.subarray(offset, offset + length), 2)
    yield { frame: buffer.subarray(0, 2 + length), counter, offset, length }
    counter = nextBlockSequenceCounter(counter)
  }
}
