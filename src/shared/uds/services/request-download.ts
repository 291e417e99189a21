import { hexByte, MAX_UINT_BYTES, u8, uintBytes } from '../bytes'
import { requestFrame, requestReader, responseFrame, responseReader } from '../frame'
import { encodeMemoryRange, type MemoryRange, readMemoryRange } from '../memory'
import { NRC } from '../nrc'
import type { ServiceCodec } from '../service'
import { SID } from '../sids'

/** 0x34 RequestDownload. */

export interface RequestDownloadRequest extends MemoryRange {
  /** High nibble compression method, low nibble encryption method; 0x00 = neither. */
  dataFormatIdentifier?: number
}

export interface RequestDownloadResponse {
  /** Includes the 0x36 SID and block sequence counter: a block carries maxNumberOfBlockLength - 2 data bytes. */
  maxNumberOfBlockLength: number
  /** Bytes of maxNumberOfBlockLength on the wire; when absent the fewest that hold it, at least 2. */
  blockLengthBytes?: number
}

const sid = SID.requestDownload

/** Data bytes per 0x36 request that a 0x34 response allows. */
export const transferDataChunkSize = (maxNumberOfBlockLength: number): number => maxNumberOfBlockLength - 2

export const requestDownload: ServiceCodec<RequestDownloadRequest, RequestDownloadResponse> = {
  sid,
  encodeRequest: ({ dataFormatIdentifier = 0, ...range }) => requestFrame(sid, u8(dataFormatIdentifier, 'dataFormatIdentifier'), encodeMemoryRange(range)),
  decodeRequest(bytes) {
    const reader = requestReader(bytes, sid)
    const dataFormatIdentifier = reader.u8('dataFormatIdentifier')
    const range = readMemoryRange(reader)
    reader.end('memorySize')
    return { dataFormatIdentifier, ...range }
  },
  encodeResponse: ({ maxNumberOfBlockLength, blockLengthBytes = Math.max(2, Math.ceil(maxNumberOfBlockLength.toString(16).length / 2)) }) =>
    responseFrame(sid, u8(blockLengthBytes << 4, 'lengthFormatIdentifier'), uintBytes(maxNumberOfBlockLength, blockLengthBytes, 'maxNumberOfBlockLength')),
  decodeResponse(bytes) {
    const reader = responseReader(bytes, sid)
    const format = reader.u8('lengthFormatIdentifier')
    const blockLengthBytes = format >> 4
    if ((format & 0x0f) !== 0 || blockLengthBytes < 1 || blockLengthBytes > MAX_UINT_BYTES) {
      throw reader.error(`lengthFormatIdentifier ${hexByte(format)} is not 0x10 to 0x${MAX_UINT_BYTES}0`, NRC.requestOutOfRange)
    }
    const maxNumberOfBlockLength = reader.uint(blockLengthBytes, 'maxNumberOfBlockLength')
    reader.end('maxNumberOfBlockLength')
    return { maxNumberOfBlockLength, blockLengthBytes }
  }
}
