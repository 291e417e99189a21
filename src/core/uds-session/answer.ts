import type { DecodedAnswer } from '../../shared/calls/uds-session'
import { decodeDidValue, decodeDtcStatus, decodeUdsResponse, describeNrc, type DidCatalog, DTC_STATUS_BITS, formatDtc, toHex, type UdsPositiveResponse } from '../../shared/uds'

const word = (n: number) => n.toString(16).toUpperCase().padStart(4, '0')
const byte = (n: number) => n.toString(16).toUpperCase().padStart(2, '0')

function didView(catalog: DidCatalog, did: number, data: Uint8Array) {
  const definition = catalog.get(did)
  let value: string | number | null = null
  if (definition) {
    try {
      value = decodeDidValue(definition, data)
    } catch {
      // Bytes that do not fit the catalog stay readable as hex.
    }
  }
  return { did: word(did), name: definition?.name ?? `DID ${word(did)}`, value, hex: toHex(data) }
}

const dtcView = ({ dtc, status }: { dtc: number; status: number }) => {
  const bits = decodeDtcStatus(status)
  return { dtc, code: formatDtc(dtc), status, statusBits: DTC_STATUS_BITS.filter((name) => bits[name]) }
}

function dtcReport(response: Extract<UdsPositiveResponse, { service: 'readDtcInformation' }>, catalog: DidCatalog) {
  switch (response.report) {
    case 0x01:
      return { summary: `${response.count} DTCs match the mask` }
    case 0x02:
    case 0x0a:
      return { summary: `${response.dtcs.length} DTCs`, dtcs: response.dtcs.map(dtcView) }
    case 0x04:
      return {
        summary: `${formatDtc(response.dtc)}: ${response.snapshots.length} snapshot records`,
        dtcs: [dtcView(response)],
        dids: response.snapshots.flatMap((s) => s.dids.map((d) => didView(catalog, d.did, d.data)))
      }
    case 0x06:
      return {
        summary: `${formatDtc(response.dtc)}: ${response.extendedData.map((r) => `record ${byte(r.recordNumber)} = ${toHex(r.data)}`).join(', ')}`,
        dtcs: [dtcView(response)]
      }
  }
}

/** One line per service, in the terms a diagnostician uses. */
function positive(response: UdsPositiveResponse, catalog: DidCatalog): Extract<DecodedAnswer, { kind: 'positive' }> {
  const base = { kind: 'positive' as const, service: response.service }
  switch (response.service) {
    case 'readDataByIdentifier': {
      const dids = response.records.map((r) => didView(catalog, r.did, r.data))
      return { ...base, summary: dids.map((d) => `${d.did} ${d.name}: ${d.value ?? d.hex}`).join('; '), dids }
    }
    case 'readDtcInformation':
      return { ...base, ...dtcReport(response, catalog) }
    case 'diagnosticSessionControl':
      return { ...base, summary: `session ${byte(response.session)}${response.timing ? ` (P2 ${response.timing.p2Ms} ms, P2* ${response.timing.p2StarMs} ms)` : ''}` }
    case 'securityAccess':
      return { ...base, summary: response.action === 'requestSeed' ? `seed ${toHex(response.seed)} for level ${byte(response.level)}` : `level ${byte(response.level)} unlocked` }
    case 'routineControl':
      return { ...base, summary: `routine ${word(response.routineId)} (control ${byte(response.control)}): status ${toHex(response.status) || 'none'}` }
    case 'requestDownload':
      return { ...base, summary: `download accepted, blocks of up to ${response.maxNumberOfBlockLength} bytes` }
    case 'transferData':
      return { ...base, summary: `block ${byte(response.blockSequenceCounter)} accepted` }
    case 'requestTransferExit':
      return { ...base, summary: `transfer ended${response.data?.length ? ` (${toHex(response.data)})` : ''}` }
    case 'writeDataByIdentifier':
      return { ...base, summary: `${word(response.did)} written` }
    case 'ecuReset':
      return { ...base, summary: `reset ${byte(response.resetType)} accepted` }
    default:
      return { ...base, summary: response.service }
  }
}

/** What the ECU said, decoded with the codec: nothing, an NRC by name, or a positive answer by service. */
export function describeAnswer(response: Uint8Array | undefined, catalog: DidCatalog): DecodedAnswer {
  if (!response) return { kind: 'none' }
  try {
    const decoded = decodeUdsResponse(response, { didCatalog: catalog })
    if (decoded.service !== 'negativeResponse') return positive(decoded, catalog)
    const info = describeNrc(decoded.nrc)
    return { kind: 'negative', requestSid: decoded.requestSid, nrc: decoded.nrc, name: info.name, description: info.description }
  } catch (err) {
    return { kind: 'undecoded', reason: (err as Error).message }
  }
}
