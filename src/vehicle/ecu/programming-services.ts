import { decodeEraseMemoryOption, NRC, ROUTINE, ROUTINE_CONTROL, SESSION } from '../../shared/uds'
import type { EcuContext, HandlerIo, ServiceHandler } from './context'
import { refuse } from './refusal'

/** 0x31 (routines FF00 and FF01), 0x34, 0x36 and 0x37: the handlers of a flash sequence. */

type Routine = (ecu: EcuContext, option: Uint8Array, io: HandlerIo) => Promise<Uint8Array> | Uint8Array

const ROUTINES: Record<number, Routine> = {
  [ROUTINE.eraseMemory]: async (ecu, option, io) => {
    const range = option.length === 0 ? undefined : decodeEraseMemoryOption(option)
    await io.busy(ecu.settings.eraseMs)
    ecu.programming.erase(range)
    return Uint8Array.of(0x00)
  },
  [ROUTINE.checkProgrammingDependencies]: (ecu, option) => Uint8Array.of(ecu.programming.checkDependencies(option))
}

const routineName = (id: number) => `routine ${id.toString(16).toUpperCase().padStart(4, '0')}`

export const routineControl: ServiceHandler<'routineControl'> = async ({ control, routineId, option = new Uint8Array() }, ecu, io) => {
  const routine = ROUTINES[routineId]
  if (!routine) throw refuse(NRC.requestOutOfRange, `${routineName(routineId)} is not supported`)
  if (ecu.session !== SESSION.programming) throw refuse(NRC.requestOutOfRange, `${routineName(routineId)} runs in the programming session only`)
  if (ecu.security.unlockedLevel === undefined) throw refuse(NRC.securityAccessDenied, `${routineName(routineId)} needs security access`)
  if (control === ROUTINE_CONTROL.start) {
    const status = await routine(ecu, option, io)
    ecu.programming.routineResults.set(routineId, status)
    return { service: 'routineControl', control, routineId, status }
  }
  if (control === ROUTINE_CONTROL.requestResults) {
    const status = ecu.programming.routineResults.get(routineId)
    if (!status) throw refuse(NRC.requestSequenceError, `${routineName(routineId)} has not run`)
    return { service: 'routineControl', control, routineId, status }
  }
  throw refuse(NRC.subFunctionNotSupported, `${routineName(routineId)} can be started and its results read, not stopped`)
}

export const requestDownload: ServiceHandler<'requestDownload'> = ({ dataFormatIdentifier = 0, address, size, addressLength = 4, sizeLength = 4 }, ecu) => ({
  service: 'requestDownload',
  maxNumberOfBlockLength: ecu.programming.requestDownload({ dataFormatIdentifier, address, size, addressLength, sizeLength })
})

export const transferData: ServiceHandler<'transferData'> = ({ blockSequenceCounter, data }, ecu) => {
  ecu.programming.transfer(blockSequenceCounter, data)
  return { service: 'transferData', blockSequenceCounter, data: new Uint8Array() }
}

export const requestTransferExit: ServiceHandler<'requestTransferExit'> = ({ data = new Uint8Array() }, ecu) => ({
  service: 'requestTransferExit',
  data: ecu.programming.exit(data)
})
