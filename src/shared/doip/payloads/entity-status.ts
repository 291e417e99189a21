import { concatBytes, u32, u8 } from '../../uds/bytes'
import { codeLookup, codesByName } from '../codes'
import { emptyPayload, type PayloadCodec } from './payload-codec'

/** 0x4001 entity status request and 0x4002 response. */

const NODE_TYPE_ENTRIES = [
  [0x00, 'gateway', 'DoIP gateway'],
  [0x01, 'node', 'DoIP node']
] as const
export const NODE_TYPE = codesByName(NODE_TYPE_ENTRIES)
export const describeNodeType = codeLookup(NODE_TYPE_ENTRIES, () => 'reserved')

export interface EntityStatusResponse {
  nodeType: number
  maxOpenSockets: number
  openSockets: number
  /** Largest diagnostic message payload the entity accepts; a tester's framer limit. */
  maxDataSize?: number
}

export const entityStatusRequest = emptyPayload

export const entityStatusResponse: PayloadCodec<EntityStatusResponse> = {
  encode: ({ nodeType, maxOpenSockets, openSockets, maxDataSize }) =>
    concatBytes(
      u8(nodeType, 'node type'),
      u8(maxOpenSockets, 'max open sockets'),
      u8(openSockets, 'open sockets'),
      maxDataSize === undefined ? new Uint8Array() : u32(maxDataSize, 'max data size')
    ),
  decode(reader) {
    const status = { nodeType: reader.u8('node type'), maxOpenSockets: reader.u8('max open sockets'), openSockets: reader.u8('open sockets') }
    return reader.remaining > 0 ? { ...status, maxDataSize: reader.u32('max data size') } : status
  }
}
