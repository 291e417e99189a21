import type { DiagResult, DidView, DtcView } from './run-command'

/** The lines a person reads for each result; JSON output prints the results themselves. */

const SESSION_NAMES: Record<string, string> = { '0x01': 'default', '0x02': 'programming', '0x03': 'extended', '0x04': 'safety system' }

const dtcLine = (d: DtcView) => `${d.dtc}  status ${d.status}${d.statusBits.length ? `: ${d.statusBits.join(', ')}` : ''}`
const didLine = (d: DidView) => `${d.did}  ${d.name}: ${d.value === null ? `(hex) ${d.data || '(empty)'}` : d.value === '' ? '(empty)' : String(d.value)}`

export function formatDiagResult(result: DiagResult, ecu: string): string[] {
  switch (result.command) {
    case 'session': {
      const name = SESSION_NAMES[result.session] ?? result.session
      return [`${ecu} is in the ${name} session (${result.session})${result.timing ? `: P2 ${result.timing.p2Ms} ms, P2* ${result.timing.p2StarMs} ms` : ''}`]
    }
    case 'reset':
      return [`${ecu} accepted reset ${result.resetType}; it restarts in the default session, locked.`]
    case 'clear-dtcs':
      return [`${ecu} cleared DTC group ${result.group}.`]
    case 'read-dtcs':
      switch (result.report) {
        case '01':
          return [`${ecu}: ${result.count} DTC${result.count === 1 ? '' : 's'} match status mask ${result.statusMask}.`]
        case '04':
          return [
            dtcLine(result.dtc),
            ...(result.snapshots.length ? result.snapshots.flatMap((s) => [`  snapshot ${s.record}`, ...s.dids.map((d) => `    ${didLine(d)}`)]) : ['  no snapshot record'])
          ]
        case '06':
          return [dtcLine(result.dtc), ...(result.records.length ? result.records.map((r) => `  extended data ${r.record}: ${r.data}`) : ['  no extended data record'])]
        default:
          if (result.dtcs.length === 0) return [result.statusMask ? `${ecu}: no DTC matches status mask ${result.statusMask}.` : `${ecu} supports no DTC.`]
          return result.dtcs.map(dtcLine)
      }
    case 'read-did':
      return result.dids.map(didLine)
    case 'write-did':
      return [`${ecu} wrote DID ${result.did} (${result.data.length / 2} bytes).`]
    case 'security':
      return [`${ecu}: security level ${result.level} unlocked (demo key algorithm, not security).`]
    case 'comm-control':
      return [`${ecu} accepted communication control ${result.controlType} for communication type ${result.communicationType}.`]
    case 'routine':
      return [
        `${ecu}: routine ${result.routine} ${{ '0x01': 'started', '0x02': 'stopped', '0x03': 'results' }[result.control] ?? result.control}; status ${result.status || '(none)'}`
      ]
    case 'tester-present':
      return [`${ecu} answered tester present.`]
    case 'dtc-setting':
      return [`${ecu}: DTC setting ${result.setting}.`]
    case 'raw':
      return [
        result.response === null
          ? `${ecu} sent no response (positive response suppressed).`
          : `${result.response}${result.service ? `  (${result.service}, ${result.elapsedMs} ms)` : ''}`
      ]
  }
}
