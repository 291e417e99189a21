import { NRC } from '../nrc'
import { echoByte, readEcho, readSubFunction, requestFrame, requestReader, responseFrame, responseReader, subFunctionByte } from '../frame'
import type { ServiceCodec } from '../service'
import { SID } from '../sids'

/** 0x3E TesterPresent: keeps a non-default session alive (S3); testers send 3E 80 every ~2 s. */

export interface TesterPresentRequest {
  suppressPositiveResponse?: boolean
}

export type TesterPresentResponse = Record<never, never>

const sid = SID.testerPresent
/** The only sub-function the service defines. */
const ZERO_SUB_FUNCTION = 0x00

export const testerPresent: ServiceCodec<TesterPresentRequest, TesterPresentResponse> = {
  sid,
  encodeRequest: ({ suppressPositiveResponse }) => requestFrame(sid, subFunctionByte(ZERO_SUB_FUNCTION, suppressPositiveResponse, 'zeroSubFunction')),
  decodeRequest(bytes) {
    const reader = requestReader(bytes, sid)
    const { value, suppressPositiveResponse } = readSubFunction(reader, 'zeroSubFunction')
    if (value !== ZERO_SUB_FUNCTION) throw reader.error(`sub-function ${value} is not zeroSubFunction`, NRC.subFunctionNotSupported)
    reader.end('zeroSubFunction')
    return { suppressPositiveResponse }
  },
  encodeResponse: () => responseFrame(sid, echoByte(ZERO_SUB_FUNCTION, 'zeroSubFunction')),
  decodeResponse(bytes) {
    const reader = responseReader(bytes, sid)
    if (readEcho(reader, 'zeroSubFunction') !== ZERO_SUB_FUNCTION) throw reader.error('sub-function echo is not zeroSubFunction')
    reader.end('zeroSubFunction')
    return {}
  }
}
