import { u16 } from '../bytes'
import { echoByte, readEcho, readSubFunction, requestFrame, requestReader, responseFrame, responseReader, subFunctionByte } from '../frame'
import type { ServiceCodec } from '../service'
import { SID } from '../sids'

/** 0x10 DiagnosticSessionControl. */

export const SESSION = { default: 0x01, programming: 0x02, extended: 0x03, safetySystem: 0x04 } as const

export interface SessionControlRequest {
  session: number
  suppressPositiveResponse?: boolean
}

/** The ECU announces its timing with the session; P2* travels in 10 ms units, here in ms. */
export interface SessionControlResponse {
  session: number
  timing?: { p2Ms: number; p2StarMs: number }
}

const sid = SID.diagnosticSessionControl

export const diagnosticSessionControl: ServiceCodec<SessionControlRequest, SessionControlResponse> = {
  sid,
  encodeRequest: ({ session, suppressPositiveResponse }) => requestFrame(sid, subFunctionByte(session, suppressPositiveResponse, 'session')),
  decodeRequest(bytes) {
    const reader = requestReader(bytes, sid)
    const { value: session, suppressPositiveResponse } = readSubFunction(reader, 'session')
    reader.end('session')
    return { session, suppressPositiveResponse }
  },
  encodeResponse({ session, timing }) {
    if (!timing) return responseFrame(sid, echoByte(session, 'session'))
    if (timing.p2StarMs % 10 !== 0) throw new RangeError(`P2* ${timing.p2StarMs} ms is not a multiple of 10 ms`)
    return responseFrame(sid, echoByte(session, 'session'), u16(timing.p2Ms, 'P2'), u16(timing.p2StarMs / 10, 'P2* / 10 ms'))
  },
  decodeResponse(bytes) {
    const reader = responseReader(bytes, sid)
    const session = readEcho(reader, 'session')
    // Servers of the 2006 edition answer without the timing record.
    if (reader.remaining === 0) return { session }
    const timing = { p2Ms: reader.u16('P2'), p2StarMs: reader.u16('P2*') * 10 }
    reader.end('P2*')
    return { session, timing }
  }
}
