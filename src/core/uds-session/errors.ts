import { describeDiagnosticNack, describeGenericNack, describeRoutingActivationCode } from '../../shared/doip'

/** The timers a diagnostic exchange can run out of, by the names ISO 13400-2 and 14229-2 give them. */
export type DiagTimer =
  /** The TCP connection to the DoIP entity. */
  | 'connect'
  /** A_DoIP_Ctrl: the routing activation response. */
  | 'routingActivation'
  /** A_DoIP_Diagnostic_Message: the entity's 0x8002/0x8003 for a diagnostic message. */
  | 'diagnosticAck'
  /** T_TCP_Alive_Check: the entity's answer to the tester's alive check. */
  | 'aliveCheck'
  /** P2 client: the ECU's first answer. */
  | 'p2'
  /** P2* client: the ECU's answer after a 7F SID 78. */
  | 'p2Star'
  /** The backend's relay to the vehicle gateway (remote diagnostics). */
  | 'relay'

export type DiagFailure =
  | { kind: 'connectionRefused'; host: string; port: number; reason: string }
  | { kind: 'connectionClosed'; reason: string }
  | { kind: 'routingDenied'; code: number; name: string }
  | { kind: 'doipNack'; code: number; name: string }
  | { kind: 'genericNack'; code: number; name: string }
  | { kind: 'timeout'; timer: DiagTimer; ms: number }
  /** The vehicle gateway answered the relayed request with an error of its own. */
  | { kind: 'relay'; reason: string }
  /** The console refused to go on: an image for another vehicle, ECU or hardware, a call this transport cannot make. */
  | { kind: 'refused'; reason: string }
  | { kind: 'aborted' }

/** A transport failure of diagnostics, typed so a caller (a screen, otactl) can tell them apart. */
export class DiagError extends Error {
  override readonly name = 'DiagError'
  constructor(
    readonly failure: DiagFailure,
    message: string
  ) {
    super(message)
  }
}

const hex = (code: number) => `0x${code.toString(16).toUpperCase().padStart(2, '0')}`

export const routingDenied = (code: number) => {
  const info = describeRoutingActivationCode(code)
  return new DiagError({ kind: 'routingDenied', code, name: info.name }, `${info.description} (code ${hex(code)})`)
}

export const doipNack = (code: number, target: string) => {
  const info = describeDiagnosticNack(code)
  return new DiagError({ kind: 'doipNack', code, name: info.name }, `The DoIP entity refused the diagnostic message to ${target}: ${info.description} (NACK ${hex(code)})`)
}

export const genericNack = (code: number) => {
  const info = describeGenericNack(code)
  return new DiagError({ kind: 'genericNack', code, name: info.name }, `The DoIP entity rejected a message: ${info.description} (generic NACK ${hex(code)})`)
}

const TIMER_TEXT: Record<DiagTimer, string> = {
  connect: 'the TCP connection was not established',
  routingActivation: 'no routing activation response came (A_DoIP_Ctrl)',
  diagnosticAck: 'the entity did not acknowledge the diagnostic message (A_DoIP_Diagnostic_Message)',
  aliveCheck: 'the entity did not answer the alive check (T_TCP_Alive_Check)',
  p2: 'the ECU did not answer (P2 client)',
  p2Star: 'the ECU did not answer after asking to wait with 7F 78 (P2* client)',
  relay: 'the vehicle did not answer through the backend relay'
}

export const timedOut = (timer: DiagTimer, ms: number, what = '') =>
  new DiagError({ kind: 'timeout', timer, ms }, `Timeout ${timer}: ${TIMER_TEXT[timer]} within ${ms} ms${what ? ` (${what})` : ''}`)

export const refused = (reason: string) => new DiagError({ kind: 'refused', reason }, reason)

export const aborted = (what: string) => new DiagError({ kind: 'aborted' }, `${what} was aborted`)
