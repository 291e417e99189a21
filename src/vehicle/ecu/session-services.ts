import { COMMUNICATION_CONTROL, DTC_SETTING, NRC, RESET_TYPE, SESSION } from '../../shared/uds'
import type { ServiceHandler } from './context'
import { refuse } from './refusal'

/** Sessions, reset, tester present, security access, communication control and DTC setting. */

const SESSIONS: readonly number[] = [SESSION.default, SESSION.programming, SESSION.extended]
const RESETS: readonly number[] = [RESET_TYPE.hardReset, RESET_TYPE.keyOffOnReset, RESET_TYPE.softReset]
const CONTROL_TYPES: readonly number[] = [
  COMMUNICATION_CONTROL.enableRxAndTx,
  COMMUNICATION_CONTROL.enableRxAndDisableTx,
  COMMUNICATION_CONTROL.disableRxAndEnableTx,
  COMMUNICATION_CONTROL.disableRxAndTx
]

export const diagnosticSessionControl: ServiceHandler<'diagnosticSessionControl'> = ({ session }, ecu) => {
  if (!SESSIONS.includes(session)) throw refuse(NRC.subFunctionNotSupported, `session ${session} is not offered`)
  ecu.enterSession(session)
  return { service: 'diagnosticSessionControl', session, timing: { p2Ms: ecu.settings.p2Ms, p2StarMs: ecu.settings.p2StarMs } }
}

export const ecuReset: ServiceHandler<'ecuReset'> = ({ resetType }, ecu, io) => {
  if (!RESETS.includes(resetType)) throw refuse(NRC.subFunctionNotSupported, `reset type ${resetType} is not offered`)
  io.afterResponse(() => ecu.reboot())
  return { service: 'ecuReset', resetType }
}

export const testerPresent: ServiceHandler<'testerPresent'> = () => ({ service: 'testerPresent' })

export const securityAccess: ServiceHandler<'securityAccess'> = (request, ecu) => {
  const now = ecu.clock.now()
  if (request.action === 'requestSeed') return { service: 'securityAccess', action: 'requestSeed', level: request.level, seed: ecu.security.requestSeed(request.level, now) }
  ecu.security.sendKey(request.level, request.key, now)
  return { service: 'securityAccess', action: 'sendKey', level: request.level }
}

/** Accepted so that a flash sequence's 28 81 01 works; the simulated bus has no traffic to stop. */
export const communicationControl: ServiceHandler<'communicationControl'> = ({ controlType, communicationType }) => {
  if (!CONTROL_TYPES.includes(controlType)) throw refuse(NRC.subFunctionNotSupported, `control type ${controlType} is not offered`)
  if ((communicationType & 0x03) === 0) throw refuse(NRC.requestOutOfRange, `communication type ${communicationType} selects no messages`)
  return { service: 'communicationControl', controlType }
}

/** 85 02 stops the DTC monitors recording (their status bits freeze) until 85 01 or the default session. */
export const controlDtcSetting: ServiceHandler<'controlDtcSetting'> = ({ settingType }, ecu) => {
  if (settingType !== DTC_SETTING.on && settingType !== DTC_SETTING.off) throw refuse(NRC.subFunctionNotSupported, `DTC setting type ${settingType} is not offered`)
  ecu.dtcs.setRecording(settingType === DTC_SETTING.on, ecu.clock.now())
  return { service: 'controlDtcSetting', settingType }
}
