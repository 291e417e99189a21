/** Service identifiers this codec covers, by the names used across the codec. */
export const SID = {
  diagnosticSessionControl: 0x10,
  ecuReset: 0x11,
  clearDiagnosticInformation: 0x14,
  readDtcInformation: 0x19,
  readDataByIdentifier: 0x22,
  securityAccess: 0x27,
  communicationControl: 0x28,
  writeDataByIdentifier: 0x2e,
  routineControl: 0x31,
  requestDownload: 0x34,
  transferData: 0x36,
  requestTransferExit: 0x37,
  testerPresent: 0x3e,
  controlDtcSetting: 0x85
} as const
export type ServiceName = keyof typeof SID

export const NEGATIVE_RESPONSE_SID = 0x7f
/** A positive response's SID is the request's plus this. */
export const POSITIVE_RESPONSE_OFFSET = 0x40
/** Bit 7 of a sub-function: the server shall not send a positive response. */
export const SUPPRESS_POSITIVE_RESPONSE_BIT = 0x80

const NAME_BY_SID = new Map<number, ServiceName>(Object.entries(SID).map(([name, sid]) => [sid, name as ServiceName]))

export const serviceNameOf = (sid: number): ServiceName | undefined => NAME_BY_SID.get(sid)

/**
 * Services whose second byte is a sub-function. It also lists ISO services this codec does not decode
 * (0x29, 0x2C, 0x83, 0x86, 0x87) so that a transport honours the suppress bit on any request it relays.
 */
const WITH_SUB_FUNCTION = new Set([0x10, 0x11, 0x19, 0x27, 0x28, 0x29, 0x2c, 0x31, 0x3e, 0x83, 0x85, 0x86, 0x87])

export const hasSubFunction = (sid: number): boolean => WITH_SUB_FUNCTION.has(sid)

/** True when the request asks the server not to answer positively: a transport then treats P2 expiry as success. */
export function suppressesPositiveResponse(request: Uint8Array): boolean {
  const [sid, subFunction] = request
  return sid !== undefined && subFunction !== undefined && hasSubFunction(sid) && (subFunction & SUPPRESS_POSITIVE_RESPONSE_BIT) !== 0
}
