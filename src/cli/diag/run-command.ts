import type { DiagSession, DidReading } from '../../core/uds-session/session'
import { callUds, NegativeResponseError, type UdsRequester } from '../../shared/uds-client'
import {
  decodeDidValue,
  decodeNegativeResponse,
  decodeUdsResponse,
  demoXorRotateKey,
  type DidCatalog,
  type DtcAndStatus,
  DTC_STATUS_BITS,
  encodeDidValue,
  fixedDidLength,
  formatDtc,
  fromHex,
  isNegativeResponse,
  toHex,
  type UdsDecodeOptions
} from '../../shared/uds'
import { hexByte, hexWord } from '../../shared/uds/bytes'
import { UsageError } from '../exit-codes'
import type { DiagCommand } from './commands'

/** What a command found, ready for JSON (bytes as hex strings) and for the human printer. */
export type DiagResult =
  | { command: 'session'; session: string; timing: { p2Ms: number; p2StarMs: number } | null }
  | { command: 'reset'; resetType: string }
  | { command: 'clear-dtcs'; group: string }
  | { command: 'read-dtcs'; report: '01'; statusMask: string; count: number }
  | { command: 'read-dtcs'; report: '02' | '0A'; statusMask: string | null; dtcs: DtcView[] }
  | { command: 'read-dtcs'; report: '04'; dtc: DtcView; snapshots: { record: string; dids: DidView[] }[] }
  | { command: 'read-dtcs'; report: '06'; dtc: DtcView; records: { record: string; data: string }[] }
  | { command: 'read-did'; dids: DidView[] }
  | { command: 'write-did'; did: string; data: string }
  | { command: 'security'; level: string }
  | { command: 'comm-control'; controlType: string; communicationType: string }
  | { command: 'routine'; control: string; routine: string; status: string }
  | { command: 'tester-present' }
  | { command: 'dtc-setting'; setting: 'on' | 'off' | string }
  | { command: 'raw'; request: string; response: string | null; service: string | null; elapsedMs: number }

export interface DtcView {
  dtc: string
  /** The three bytes in hex, as a clear-dtcs GROUP takes them. */
  code: string
  status: string
  statusBits: string[]
}
export interface DidView {
  did: string
  name: string
  value: string | number | null
  data: string
}

export interface CommandContext {
  session: DiagSession
  target: number
  catalog: DidCatalog
  /** Sizes of 19 06 extended data records, when known. */
  extendedDataSize?: UdsDecodeOptions['extendedDataSize']
}

const dtcView = ({ dtc, status }: DtcAndStatus): DtcView => ({
  dtc: formatDtc(dtc),
  code: dtc.toString(16).toUpperCase().padStart(6, '0'),
  status: hexByte(status),
  statusBits: DTC_STATUS_BITS.filter((_, bit) => status & (1 << bit))
})

const didView = (catalog: DidCatalog, { did, data }: { did: number; data: Uint8Array }): DidView => {
  const definition = catalog.get(did)
  let value: DidView['value'] = null
  try {
    value = definition ? decodeDidValue(definition, data) : null
  } catch {
    // Bytes that do not fit the catalog's type are still shown, as hex.
  }
  return { did: hexWord(did), name: definition?.name ?? 'unknown DID', value, data: toHex(data) }
}

/**
 * DIDs in as few 0x22 requests as the catalog allows: a response carries no lengths, so only
 * the last DID of a request may be one whose length the catalog does not fix.
 */
export function didRequests(dids: readonly number[], catalog: DidCatalog): number[][] {
  const requests: number[][] = [[]]
  for (const did of dids) {
    requests.at(-1)!.push(did)
    if (fixedDidLength(catalog, did) === undefined) requests.push([])
  }
  return requests.filter((r) => r.length > 0)
}

function encodeWriteValue(catalog: DidCatalog, did: number, value: string): Uint8Array {
  if (/^hex:/i.test(value)) return fromHex(value.slice(4))
  const definition = catalog.get(did)
  if (!definition) throw new UsageError(`DID ${hexWord(did)} is not in the DID catalog, so its type is unknown: give the bytes as hex:…`)
  try {
    return encodeDidValue(definition, value)
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
}

export async function runDiagCommand(command: DiagCommand, ctx: CommandContext): Promise<DiagResult> {
  const { session, target, catalog } = ctx
  const requester: UdsRequester = { request: async (t, uds, options) => (await session.request(t, uds, options)).response }
  const decode = { didCatalog: catalog, extendedDataSize: ctx.extendedDataSize }

  switch (command.command) {
    case 'session': {
      const { timing } = await session.changeSession(target, command.session)
      return { command: 'session', session: hexByte(command.session), timing: timing ?? null }
    }
    case 'reset':
      await session.reset(target, command.resetType)
      return { command: 'reset', resetType: hexByte(command.resetType) }
    case 'clear-dtcs':
      await session.clearDtcs(target, command.group)
      return { command: 'clear-dtcs', group: command.group.toString(16).toUpperCase().padStart(6, '0') }
    case 'read-dtcs': {
      if (command.report === 0x02)
        return { command: 'read-dtcs', report: '02', statusMask: hexByte(command.statusMask), dtcs: (await session.readDtcs(target, command.statusMask)).map(dtcView) }
      const request =
        'dtc' in command
          ? ({ service: 'readDtcInformation', report: command.report, dtc: command.dtc, recordNumber: command.record } as const)
          : 'statusMask' in command
            ? ({ service: 'readDtcInformation', report: 0x01, statusMask: command.statusMask } as const)
            : ({ service: 'readDtcInformation', report: 0x0a } as const)
      const answer = await callUds(requester, target, request, { decode })
      switch (answer.report) {
        case 0x01:
          return { command: 'read-dtcs', report: '01', statusMask: hexByte('statusMask' in command ? command.statusMask : 0xff), count: answer.count }
        case 0x04:
          return {
            command: 'read-dtcs',
            report: '04',
            dtc: dtcView(answer),
            snapshots: answer.snapshots.map((s) => ({ record: hexByte(s.recordNumber), dids: s.dids.map((d) => didView(catalog, d)) }))
          }
        case 0x06:
          return { command: 'read-dtcs', report: '06', dtc: dtcView(answer), records: answer.extendedData.map((r) => ({ record: hexByte(r.recordNumber), data: toHex(r.data) })) }
        default:
          return { command: 'read-dtcs', report: '0A', statusMask: null, dtcs: answer.dtcs.map(dtcView) }
      }
    }
    case 'read-did': {
      const readings: DidReading[] = []
      for (const dids of didRequests(command.dids, catalog)) readings.push(...(await session.readDids(target, dids)))
      return { command: 'read-did', dids: readings.map((r) => didView(catalog, r)) }
    }
    case 'write-did': {
      const data = encodeWriteValue(catalog, command.did, command.value)
      await callUds(requester, target, { service: 'writeDataByIdentifier', did: command.did, data })
      return { command: 'write-did', did: hexWord(command.did), data: toHex(data) }
    }
    case 'security':
      await session.unlock(target, command.level, demoXorRotateKey)
      return { command: 'security', level: hexByte(command.level) }
    case 'comm-control': {
      const { controlType, communicationType, nodeId } = command
      await callUds(requester, target, { service: 'communicationControl', controlType, communicationType, nodeIdentificationNumber: nodeId })
      return { command: 'comm-control', controlType: hexByte(controlType), communicationType: hexByte(communicationType) }
    }
    case 'routine': {
      const status = await session.routine(target, command.control, command.routineId, command.option)
      return { command: 'routine', control: hexByte(command.control), routine: hexWord(command.routineId), status: toHex(status) }
    }
    case 'tester-present':
      await callUds(requester, target, { service: 'testerPresent' })
      return { command: 'tester-present' }
    case 'dtc-setting':
      await callUds(requester, target, { service: 'controlDtcSetting', settingType: command.settingType })
      return { command: 'dtc-setting', setting: command.settingType === 0x01 ? 'on' : command.settingType === 0x02 ? 'off' : hexByte(command.settingType) }
    case 'raw': {
      const answer = await session.request(target, command.bytes)
      const response = answer.response
      if (response && isNegativeResponse(response)) throw new NegativeResponseError(target, decodeNegativeResponse(response))
      let service: string | null = null
      try {
        service = response ? decodeUdsResponse(response, decode).service : null
      } catch {
        // An answer the codec cannot read is still shown as bytes.
      }
      return { command: 'raw', request: toHex(command.bytes), response: response ? toHex(response) : null, service, elapsedMs: answer.elapsedMs }
    }
  }
}
