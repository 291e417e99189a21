import { ByteReader, u16 } from '../bytes'
import { UdsDecodeError } from '../errors'
import { echoByte, readEcho, readSubFunction, requestFrame, requestReader, responseFrame, responseReader, subFunctionByte } from '../frame'
import { encodeMemoryRange, type MemoryRange, readMemoryRange } from '../memory'
import type { ServiceCodec } from '../service'
import { SID } from '../sids'

/** 0x31 RoutineControl, with the two routines of a flash sequence that ISO names. */

export const ROUTINE_CONTROL = { start: 0x01, stop: 0x02, requestResults: 0x03 } as const

export const ROUTINE = { eraseMemory: 0xff00, checkProgrammingDependencies: 0xff01 } as const

export interface RoutineControlRequest {
  control: number
  routineId: number
  /** routineControlOptionRecord: routine-specific parameters, e.g. eraseMemoryOption(...). */
  option?: Uint8Array
  suppressPositiveResponse?: boolean
}

export interface RoutineControlResponse {
  control: number
  routineId: number
  /** routineStatusRecord: routine-specific results, often a single status byte. */
  status: Uint8Array
}

const sid = SID.routineControl

export const routineControl: ServiceCodec<RoutineControlRequest, RoutineControlResponse> = {
  sid,
  encodeRequest: ({ control, routineId, option = new Uint8Array(), suppressPositiveResponse }) =>
    requestFrame(sid, subFunctionByte(control, suppressPositiveResponse, 'routineControlType'), u16(routineId, 'routineIdentifier'), option),
  decodeRequest(bytes) {
    const reader = requestReader(bytes, sid)
    const { value: control, suppressPositiveResponse } = readSubFunction(reader, 'routineControlType')
    return { control, routineId: reader.u16('routineIdentifier'), option: reader.rest(), suppressPositiveResponse }
  },
  encodeResponse: ({ control, routineId, status }) => responseFrame(sid, echoByte(control, 'routineControlType'), u16(routineId, 'routineIdentifier'), status),
  decodeResponse(bytes) {
    const reader = responseReader(bytes, sid)
    return { control: readEcho(reader, 'routineControlType'), routineId: reader.u16('routineIdentifier'), status: reader.rest() }
  }
}

/** Option record of 31 01 FF00: the range to erase, in the same form as 0x34. */
export const eraseMemoryOption = (range: MemoryRange): Uint8Array => encodeMemoryRange(range)

export function decodeEraseMemoryOption(option: Uint8Array): Required<MemoryRange> {
  const reader = new ByteReader(option, (message, nrc) => new UdsDecodeError(`eraseMemory option: ${message}`, nrc))
  const range = readMemoryRange(reader)
  reader.end('memorySize')
  return range
}
