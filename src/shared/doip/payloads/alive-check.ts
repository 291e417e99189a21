import { u16 } from '../../uds/bytes'
import { emptyPayload, type PayloadCodec } from './payload-codec'

/** 0x0007 alive check request and 0x0008 response: the entity asks whether a socket's tester is still there. */

export interface AliveCheckResponse {
  /** The tester's logical address registered on this socket. */
  sourceAddress: number
}

export const aliveCheckRequest = emptyPayload

export const aliveCheckResponse: PayloadCodec<AliveCheckResponse> = {
  encode: ({ sourceAddress }) => u16(sourceAddress, 'source address'),
  decode: (reader) => ({ sourceAddress: reader.u16('source address') })
}
