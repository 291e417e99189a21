import {
  ALL_DTC_GROUPS,
  ALL_RECORDS,
  COMMUNICATION_CONTROL,
  COMMUNICATION_TYPE,
  DTC_REPORT,
  DTC_SETTING,
  parseDtc,
  RESET_TYPE,
  ROUTINE,
  ROUTINE_CONTROL,
  SESSION
} from '../../shared/uds'
import { parseByte, parseBytes, parseDid, parseHexNumber, parseNamedByte } from '../args'
import { UsageError } from '../exit-codes'

/** One diagnostic service as the command line asks for it, parsed and checked before anything is sent. */
export type DiagCommand =
  | { command: 'session'; session: number }
  | { command: 'reset'; resetType: number }
  | { command: 'clear-dtcs'; group: number }
  | { command: 'read-dtcs'; report: 0x01 | 0x02; statusMask: number }
  | { command: 'read-dtcs'; report: 0x04 | 0x06; dtc: number; record: number }
  | { command: 'read-dtcs'; report: 0x0a }
  | { command: 'read-did'; dids: number[] }
  /** The value is encoded with the DID catalog when the command runs; `hex:` gives raw bytes. */
  | { command: 'write-did'; did: number; value: string }
  | { command: 'security'; level: number }
  | { command: 'comm-control'; controlType: number; communicationType: number; nodeId?: number }
  | { command: 'routine'; control: number; routineId: number; option?: Uint8Array }
  | { command: 'tester-present' }
  | { command: 'dtc-setting'; settingType: number }
  | { command: 'raw'; bytes: Uint8Array }

/** Separates commands that run one after another on the same connection (a session change lasts for the rest). */
export const THEN = 'then'

export const DIAG_USAGE = `Commands (several run on one connection when joined with "${THEN}"):
  session default|programming|extended|safety|XX     10: DiagnosticSessionControl
  reset [hard|key-off-on|soft|XX]                    11: ECUReset (hard by default)
  clear-dtcs [GROUP|DTC]                             14: ClearDiagnosticInformation (FFFFFF by default)
  read-dtcs [MASK]                                   19 02: DTCs by status mask (FF by default)
  read-dtcs count [MASK]                             19 01: number of DTCs by status mask
  read-dtcs snapshot DTC [RECORD]                    19 04: snapshot records (all by default)
  read-dtcs extended DTC [RECORD]                    19 06: extended data records (all by default)
  read-dtcs supported                                19 0A: every DTC the ECU supports
  read-did DID [DID ...]                             22: ReadDataByIdentifier
  write-did DID VALUE|hex:BYTES                      2E: WriteDataByIdentifier (VALUE as the DID catalog types it)
  security [LEVEL]                                   27: seed and key with the demo algorithm (level 01 by default)
  comm-control CONTROL [normal|nm|both|XX] [NODE]    28: CommunicationControl (CONTROL: enable-rx-tx, enable-rx-disable-tx, disable-rx-enable-tx, disable-rx-tx or XX)
  routine start|stop|results erase|check-deps|XXXX [OPTION]   31: RoutineControl (erase = FF00, check-deps = FF01)
  tester-present                                     3E: TesterPresent
  dtc-setting on|off                                 85: ControlDTCSetting
  raw BYTES                                          any request in hex, e.g. raw 22F190
DIDs, addresses, masks and bytes are hex (0x optional); DTCs are hex (012345) or P0123-45.`

const SESSIONS = { default: SESSION.default, programming: SESSION.programming, extended: SESSION.extended, safety: SESSION.safetySystem }
const RESETS = { hard: RESET_TYPE.hardReset, 'key-off-on': RESET_TYPE.keyOffOnReset, soft: RESET_TYPE.softReset }
const CONTROLS = {
  'enable-rx-tx': COMMUNICATION_CONTROL.enableRxAndTx,
  'enable-rx-disable-tx': COMMUNICATION_CONTROL.enableRxAndDisableTx,
  'disable-rx-enable-tx': COMMUNICATION_CONTROL.disableRxAndEnableTx,
  'disable-rx-tx': COMMUNICATION_CONTROL.disableRxAndTx
}
const COMM_TYPES = { normal: COMMUNICATION_TYPE.normal, nm: COMMUNICATION_TYPE.networkManagement, both: COMMUNICATION_TYPE.normalAndNetworkManagement }
const ROUTINE_CONTROLS: Record<string, number> = { start: ROUTINE_CONTROL.start, stop: ROUTINE_CONTROL.stop, results: ROUTINE_CONTROL.requestResults }
const ROUTINES: Record<string, number> = { erase: ROUTINE.eraseMemory, 'check-deps': ROUTINE.checkProgrammingDependencies }

/** A DTC as people write it: P0123-45, or its three bytes in hex. */
function parseDtcArg(text: string): number {
  if (/^[PCBU]/i.test(text)) {
    try {
      return parseDtc(text)
    } catch (err) {
      throw new UsageError((err as Error).message)
    }
  }
  return parseHexNumber(text, 6, `DTC "${text}"`)
}

function expectArgs(name: string, args: string[], min: number, max: number, shape: string) {
  if (args.length < min || args.length > max) throw new UsageError(`${name} takes ${shape}; got ${args.length ? `"${args.join(' ')}"` : 'nothing'}`)
}

function parseReadDtcs(args: string[]): DiagCommand {
  const [first, ...rest] = args
  switch (first?.toLowerCase()) {
    case 'count':
      expectArgs('read-dtcs count', rest, 0, 1, '[MASK]')
      return { command: 'read-dtcs', report: DTC_REPORT.numberOfDtcByStatusMask, statusMask: rest[0] ? parseByte(rest[0], 'the status mask') : 0xff }
    case 'snapshot':
    case 'extended':
      expectArgs(`read-dtcs ${first}`, rest, 1, 2, 'DTC [RECORD]')
      return {
        command: 'read-dtcs',
        report: first.toLowerCase() === 'snapshot' ? DTC_REPORT.snapshotRecordByDtcNumber : DTC_REPORT.extendedDataRecordByDtcNumber,
        dtc: parseDtcArg(rest[0]!),
        record: rest[1] ? parseByte(rest[1], 'the record number') : ALL_RECORDS
      }
    case 'supported':
      expectArgs('read-dtcs supported', rest, 0, 0, 'nothing more')
      return { command: 'read-dtcs', report: DTC_REPORT.supportedDtcs }
    default:
      expectArgs('read-dtcs', args, 0, 1, '[MASK], or count, snapshot, extended or supported')
      return { command: 'read-dtcs', report: DTC_REPORT.dtcByStatusMask, statusMask: first ? parseByte(first, 'the status mask') : 0xff }
  }
}

function parseOne(name: string, args: string[]): DiagCommand {
  switch (name) {
    case 'session':
      expectArgs(name, args, 1, 1, 'default, programming, extended, safety or a hex byte')
      return { command: name, session: parseNamedByte(args[0]!, SESSIONS, 'session') }
    case 'reset':
      expectArgs(name, args, 0, 1, '[hard|key-off-on|soft|XX]')
      return { command: name, resetType: args[0] ? parseNamedByte(args[0], RESETS, 'reset') : RESET_TYPE.hardReset }
    case 'clear-dtcs':
      expectArgs(name, args, 0, 1, '[GROUP|DTC]')
      return { command: name, group: args[0] ? parseDtcArg(args[0]) : ALL_DTC_GROUPS }
    case 'read-dtcs':
      return parseReadDtcs(args)
    case 'read-did':
      if (args.length === 0) throw new UsageError('read-did takes one or more DIDs, e.g. read-did F190 F195')
      return { command: name, dids: args.map(parseDid) }
    case 'write-did':
      expectArgs(name, args, 2, 2, 'DID VALUE (quote a value with spaces)')
      return { command: name, did: parseDid(args[0]!), value: args[1]! }
    case 'security': {
      expectArgs(name, args, 0, 1, '[LEVEL]')
      const level = args[0] ? parseByte(args[0], 'the security level') : 0x01
      if (level % 2 === 0 || level > 0x7d) throw new UsageError(`the security level is the odd requestSeed sub-function (01, 03, …), got ${args[0]}`)
      return { command: name, level }
    }
    case 'comm-control': {
      expectArgs(name, args, 1, 3, 'CONTROL [COMMUNICATION-TYPE] [NODE]')
      const controlType = parseNamedByte(args[0]!, CONTROLS, 'comm-control')
      const nodeId = args[2] === undefined ? undefined : parseHexNumber(args[2], 4, 'the node identification number')
      if ((controlType === 0x04 || controlType === 0x05) !== (nodeId !== undefined)) throw new UsageError('comm-control 04 and 05 take a NODE; other control types take none')
      return { command: name, controlType, communicationType: args[1] ? parseNamedByte(args[1], COMM_TYPES, 'the communication type') : COMMUNICATION_TYPE.normal, nodeId }
    }
    case 'routine': {
      expectArgs(name, args, 2, 3, 'start|stop|results ROUTINE [OPTION]')
      const control = ROUTINE_CONTROLS[args[0]!.toLowerCase()]
      if (control === undefined) throw new UsageError(`routine: "${args[0]}" is none of start, stop, results`)
      const routineId = ROUTINES[args[1]!.toLowerCase()] ?? parseHexNumber(args[1]!, 4, 'the routine id')
      return { command: name, control, routineId, option: args[2] === undefined ? undefined : parseBytes(args[2], 'the routine option') }
    }
    case 'tester-present':
      expectArgs(name, args, 0, 0, 'nothing more')
      return { command: name }
    case 'dtc-setting': {
      expectArgs(name, args, 1, 1, 'on or off')
      const settingType = DTC_SETTING[args[0]!.toLowerCase() as keyof typeof DTC_SETTING]
      if (settingType === undefined) throw new UsageError(`dtc-setting takes on or off, got "${args[0]}"`)
      return { command: name, settingType }
    }
    case 'raw': {
      expectArgs(name, args, 1, Infinity, 'BYTES in hex')
      const bytes = parseBytes(args.join(''), 'raw')
      if (bytes.length === 0) throw new UsageError('raw needs at least the service id')
      return { command: name, bytes }
    }
    default:
      throw new UsageError(`"${name}" is not a diag command`)
  }
}

/** `read-did F190 then session extended` → the commands in order; the first mistake throws UsageError. */
export function parseDiagCommands(words: readonly string[]): DiagCommand[] {
  const groups: string[][] = [[]]
  for (const word of words) {
    if (word.toLowerCase() === THEN) groups.push([])
    else groups.at(-1)!.push(word)
  }
  if (groups.some((g) => g.length === 0)) throw new UsageError(words.length === 0 ? 'Which diag command? e.g. read-did F190' : `"${THEN}" must join two commands`)
  return groups.map(([name, ...args]) => parseOne(name!.toLowerCase(), args))
}
