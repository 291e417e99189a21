import { concatBytes, u16, u8 } from '../../uds/bytes'
import { codeLookup, codesByName } from '../codes'
import type { PayloadCodec } from './payload-codec'

/** 0x8001 diagnostic message (a UDS frame between two logical addresses) and its 0x8002 / 0x8003 acknowledgements. */

const ACK_ENTRIES = [[0x00, 'routingConfirmation', 'Routing confirmation acknowledge']] as const
export const DIAGNOSTIC_ACK = codesByName(ACK_ENTRIES)
export const describeDiagnosticAck = codeLookup(ACK_ENTRIES, () => 'reserved')

const NACK_ENTRIES = [
  [0x02, 'invalidSourceAddress', 'Invalid source address'],
  [0x03, 'unknownTargetAddress', 'Unknown target address'],
  [0x04, 'diagnosticMessageTooLarge', 'Diagnostic message too large'],
  [0x05, 'outOfMemory', 'Out of memory'],
  [0x06, 'targetUnreachable', 'Target unreachable'],
  [0x07, 'unknownNetwork', 'Unknown network'],
  [0x08, 'transportProtocolError', 'Transport protocol error']
] as const
export const DIAGNOSTIC_NACK = codesByName(NACK_ENTRIES)
export const describeDiagnosticNack = codeLookup(NACK_ENTRIES, () => 'reserved')

export interface DiagnosticMessage {
  sourceAddress: number
  targetAddress: number
  /** The UDS frame. */
  userData: Uint8Array
}

/** An ack or nack: the addresses are swapped (SA = the entity), and the start of the acknowledged message may follow. */
export interface DiagnosticMessageAcknowledgement {
  sourceAddress: number
  targetAddress: number
  code: number
  previousData?: Uint8Array
}

/** SA and TA, what comes before the UDS frame; checks there is a frame to carry. */
export function diagnosticMessageAddresses({ sourceAddress, targetAddress, userData }: DiagnosticMessage): Uint8Array {
  if (userData.length === 0) throw new RangeError('a diagnostic message carries at least one byte of user data')
  return concatBytes(u16(sourceAddress, 'source address'), u16(targetAddress, 'target address'))
}

export const diagnosticMessage: PayloadCodec<DiagnosticMessage> = {
  encode: (message) => concatBytes(diagnosticMessageAddresses(message), message.userData),
  decode: (reader) => ({ sourceAddress: reader.u16('source address'), targetAddress: reader.u16('target address'), userData: reader.rest() })
}

export const diagnosticMessageAcknowledgement: PayloadCodec<DiagnosticMessageAcknowledgement> = {
  encode: ({ sourceAddress, targetAddress, code, previousData = new Uint8Array() }) =>
    concatBytes(u16(sourceAddress, 'source address'), u16(targetAddress, 'target address'), u8(code, 'code'), previousData),
  decode: (reader) => ({ sourceAddress: reader.u16('source address'), targetAddress: reader.u16('target address'), code: reader.u8('code'), previousData: reader.rest() })
}
