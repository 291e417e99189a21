import { hexByte } from './bytes'

/** Every negative response code of ISO 14229-1 (2013 and the 2020 additions), with what it tells a person. */
const NRC_TABLE = [
  [0x10, 'generalReject', 'The ECU rejected the request without a more specific reason'],
  [0x11, 'serviceNotSupported', 'The ECU does not support this service'],
  [0x12, 'subFunctionNotSupported', 'The ECU does not support this sub-function of the service'],
  [0x13, 'incorrectMessageLengthOrInvalidFormat', 'The request is too short, too long or malformed'],
  [0x14, 'responseTooLong', 'The response would exceed what the transport can carry'],
  [0x21, 'busyRepeatRequest', 'The ECU is busy; repeat the request later'],
  [0x22, 'conditionsNotCorrect', 'The ECU is not in a state that allows this request'],
  [0x24, 'requestSequenceError', 'The request came out of the expected order (e.g. a key before a seed)'],
  [0x25, 'noResponseFromSubnetComponent', 'A component behind the gateway did not answer in time'],
  [0x26, 'failurePreventsExecutionOfRequestedAction', 'A failure in the ECU prevents the requested action'],
  [0x31, 'requestOutOfRange', 'A parameter (identifier, address, length, record) is out of range or unsupported'],
  [0x33, 'securityAccessDenied', 'Security access must be granted before this request'],
  [0x34, 'authenticationRequired', 'The client must authenticate before this request'],
  [0x35, 'invalidKey', 'The key sent does not match the seed'],
  [0x36, 'exceedNumberOfAttempts', 'Too many invalid keys; security access is locked'],
  [0x37, 'requiredTimeDelayNotExpired', 'The lock-out delay after failed attempts has not expired yet'],
  [0x38, 'secureDataTransmissionRequired', 'The request must be sent with secured data transmission'],
  [0x39, 'secureDataTransmissionNotAllowed', 'The request must not be sent with secured data transmission'],
  [0x3a, 'secureDataVerificationFailed', 'The secured data could not be verified'],
  [0x50, 'certificateVerificationFailedInvalidTimePeriod', 'Certificate rejected: outside its validity period'],
  [0x51, 'certificateVerificationFailedInvalidSignature', 'Certificate rejected: bad signature'],
  [0x52, 'certificateVerificationFailedInvalidChainOfTrust', 'Certificate rejected: chain of trust does not verify'],
  [0x53, 'certificateVerificationFailedInvalidType', 'Certificate rejected: wrong type'],
  [0x54, 'certificateVerificationFailedInvalidFormat', 'Certificate rejected: malformed'],
  [0x55, 'certificateVerificationFailedInvalidContent', 'Certificate rejected: invalid content'],
  [0x56, 'certificateVerificationFailedInvalidScope', 'Certificate rejected: not valid for this scope'],
  [0x57, 'certificateVerificationFailedInvalidCertificate', 'Certificate rejected: revoked or otherwise invalid'],
  [0x58, 'ownershipVerificationFailed', 'Proof of ownership failed'],
  [0x59, 'challengeCalculationFailed', 'The ECU could not compute an authentication challenge'],
  [0x5a, 'settingAccessRightsFailed', 'The ECU could not set the access rights'],
  [0x5b, 'sessionKeyCreationDerivationFailed', 'The ECU could not create or derive a session key'],
  [0x5c, 'configurationDataUsageFailed', 'The ECU could not use the authentication configuration data'],
  [0x5d, 'deAuthenticationFailed', 'De-authentication failed'],
  [0x70, 'uploadDownloadNotAccepted', 'The ECU refuses the upload or download (address, size or format)'],
  [0x71, 'transferDataSuspended', 'The data transfer was stopped by the ECU'],
  [0x72, 'generalProgrammingFailure', 'Erasing or programming the memory failed'],
  [0x73, 'wrongBlockSequenceCounter', 'The transfer block sequence counter is not the expected one'],
  [0x78, 'requestCorrectlyReceivedResponsePending', 'Request received; the final answer will follow (wait P2*)'],
  [0x7e, 'subFunctionNotSupportedInActiveSession', 'This sub-function is not available in the current session'],
  [0x7f, 'serviceNotSupportedInActiveSession', 'This service is not available in the current session'],
  [0x81, 'rpmTooHigh', 'Engine speed too high'],
  [0x82, 'rpmTooLow', 'Engine speed too low'],
  [0x83, 'engineIsRunning', 'The engine is running'],
  [0x84, 'engineIsNotRunning', 'The engine is not running'],
  [0x85, 'engineRunTimeTooLow', 'The engine has not been running long enough'],
  [0x86, 'temperatureTooHigh', 'Temperature too high'],
  [0x87, 'temperatureTooLow', 'Temperature too low'],
  [0x88, 'vehicleSpeedTooHigh', 'Vehicle speed too high'],
  [0x89, 'vehicleSpeedTooLow', 'Vehicle speed too low'],
  [0x8a, 'throttlePedalTooHigh', 'Throttle or pedal too high'],
  [0x8b, 'throttlePedalTooLow', 'Throttle or pedal too low'],
  [0x8c, 'transmissionRangeNotInNeutral', 'The transmission is not in neutral'],
  [0x8d, 'transmissionRangeNotInGear', 'The transmission is not in gear'],
  [0x8f, 'brakeSwitchNotClosed', 'The brake pedal is not pressed'],
  [0x90, 'shifterLeverNotInPark', 'The shifter lever is not in park'],
  [0x91, 'torqueConverterClutchLocked', 'The torque converter clutch is locked'],
  [0x92, 'voltageTooHigh', 'Supply voltage too high'],
  [0x93, 'voltageTooLow', 'Supply voltage too low'],
  [0x94, 'resourceTemporarilyNotAvailable', 'A resource the request needs is temporarily unavailable']
] as const

type NrcEntry = (typeof NRC_TABLE)[number]
export type NrcName = NrcEntry[1]

/** NRC codes by name, e.g. `NRC.requestOutOfRange` = 0x31. */
export const NRC = Object.fromEntries(NRC_TABLE.map(([code, name]) => [name, code])) as { readonly [E in NrcEntry as E[1]]: E[0] }

export interface NrcInfo {
  code: number
  name: string
  description: string
}

const BY_CODE = new Map<number, NrcInfo>(NRC_TABLE.map(([code, name, description]) => [code, { code, name, description }]))

/** Name and description of any code, including the ranges the standard reserves rather than names. */
export function describeNrc(code: number): NrcInfo {
  const known = BY_CODE.get(code)
  if (known) return known
  if (code >= 0x3b && code <= 0x4f) {
    return { code, name: 'reservedByExtendedDataLinkSecurityDocument', description: `Reserved for secured data transmission (${hexByte(code)})` }
  }
  if (code >= 0x95 && code <= 0xef) return { code, name: 'reservedForSpecificConditionsNotCorrect', description: `Conditions not correct (${hexByte(code)})` }
  if (code >= 0xf0 && code <= 0xfe) {
    return { code, name: 'vehicleManufacturerSpecificConditionsNotCorrect', description: `Manufacturer-specific conditions not correct (${hexByte(code)})` }
  }
  return { code, name: 'isoSaeReserved', description: `Reserved negative response code ${hexByte(code)}` }
}
