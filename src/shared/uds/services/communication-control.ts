import { u16, u8 } from '../bytes'
import { echoByte, readEcho, readSubFunction, requestFrame, requestReader, responseFrame, responseReader, subFunctionByte } from '../frame'
import type { ServiceCodec } from '../service'
import { SID } from '../sids'

/** 0x28 CommunicationControl, e.g. 28 81 01 before flashing: stop normal transmission, no positive response. */

export const COMMUNICATION_CONTROL = {
  enableRxAndTx: 0x00,
  enableRxAndDisableTx: 0x01,
  disableRxAndEnableTx: 0x02,
  disableRxAndTx: 0x03,
  enableRxAndDisableTxWithEnhancedAddressInformation: 0x04,
  enableRxAndTxWithEnhancedAddressInformation: 0x05
} as const

/** Low two bits of communicationType; the high nibble selects a subnet (0 = all, F = this network). */
export const COMMUNICATION_TYPE = { normal: 0x01, networkManagement: 0x02, normalAndNetworkManagement: 0x03 } as const

export interface CommunicationControlRequest {
  controlType: number
  communicationType: number
  /** Only with the two "enhanced address information" control types, which require it. */
  nodeIdentificationNumber?: number
  suppressPositiveResponse?: boolean
}

export interface CommunicationControlResponse {
  controlType: number
}

const sid = SID.communicationControl
const takesNodeId = (controlType: number): boolean => controlType === 0x04 || controlType === 0x05

export const communicationControl: ServiceCodec<CommunicationControlRequest, CommunicationControlResponse> = {
  sid,
  encodeRequest({ controlType, communicationType, nodeIdentificationNumber, suppressPositiveResponse }) {
    const head = [subFunctionByte(controlType, suppressPositiveResponse, 'controlType'), u8(communicationType, 'communicationType')]
    if (takesNodeId(controlType) !== (nodeIdentificationNumber !== undefined)) {
      throw new RangeError(`controlType ${controlType} ${takesNodeId(controlType) ? 'needs' : 'takes no'} nodeIdentificationNumber`)
    }
    return nodeIdentificationNumber === undefined ? requestFrame(sid, ...head) : requestFrame(sid, ...head, u16(nodeIdentificationNumber, 'nodeIdentificationNumber'))
  },
  decodeRequest(bytes) {
    const reader = requestReader(bytes, sid)
    const { value: controlType, suppressPositiveResponse } = readSubFunction(reader, 'controlType')
    const communicationType = reader.u8('communicationType')
    if (!takesNodeId(controlType)) {
      reader.end('communicationType')
      return { controlType, communicationType, suppressPositiveResponse }
    }
    const nodeIdentificationNumber = reader.u16('nodeIdentificationNumber')
    reader.end('nodeIdentificationNumber')
    return { controlType, communicationType, nodeIdentificationNumber, suppressPositiveResponse }
  },
  encodeResponse: ({ controlType }) => responseFrame(sid, echoByte(controlType, 'controlType')),
  decodeResponse(bytes) {
    const reader = responseReader(bytes, sid)
    const controlType = readEcho(reader, 'controlType')
    reader.end('controlType')
    return { controlType }
  }
}
