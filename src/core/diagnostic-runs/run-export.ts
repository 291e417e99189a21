import type { DiagRunAnswer, DiagRunView } from '../../shared/calls/diagnostic-runs'
import { hexAddress } from '../../shared/uds-client'
import { toCsv } from '../csv'

export const RUN_CSV_HEADER = ['vin', 'model', 'zonal_gateway', 'ecu', 'address', 'request', 'outcome', 'summary', 'dtcs', 'nrc', 'error', 'elapsed_ms', 'time_utc'] as const

const address = (target: number | null) => (target === null ? '' : hexAddress(target))

function outcome(a: DiagRunAnswer): { outcome: string; summary: string; dtcs: string; nrc: string } {
  const d = a.decoded
  if (a.error || !d) return { outcome: 'error', summary: '', dtcs: '', nrc: '' }
  switch (d.kind) {
    case 'none':
      return { outcome: 'none', summary: 'no response (suppressed)', dtcs: '', nrc: '' }
    case 'negative':
      return { outcome: 'negative', summary: d.description, dtcs: '', nrc: `${d.name} (0x${d.nrc.toString(16).toUpperCase().padStart(2, '0')})` }
    case 'undecoded':
      return { outcome: 'undecoded', summary: d.reason, dtcs: '', nrc: '' }
    case 'positive':
      return { outcome: 'positive', summary: d.summary, dtcs: (d.dtcs ?? []).map((t) => `${t.code} ${t.status.toString(16).toUpperCase().padStart(2, '0')}`).join('; '), nrc: '' }
  }
}

/**
 * A run as CSV: one line per ECU asked, and one per vehicle that could not be asked (its ECU
 * columns empty). DTCs are "code status" pairs separated by "; ", status in hex.
 */
export function runCsv(view: DiagRunView, answers: readonly DiagRunAnswer[]): string {
  const models = new Map(view.vehicles.map((v) => [v.vin, v.model ?? '']))
  const rows = answers.map((a) => {
    const o = outcome(a)
    return [
      a.vin,
      models.get(a.vin) ?? '',
      a.zonalGateway,
      a.ecu,
      address(a.target),
      a.request,
      o.outcome,
      o.summary,
      o.dtcs,
      o.nrc,
      a.error?.message ?? '',
      String(Math.round(a.elapsedMs)),
      a.at
    ]
  })
  const unreached = view.vehicles.filter((v) => v.error).map((v) => [v.vin, v.model ?? '', '', '', '', '', 'vehicle error', '', '', '', v.error!.message, '', ''])
  return toCsv(RUN_CSV_HEADER, [...rows, ...unreached])
}

/** A run as JSON: the summary, the aggregation, every vehicle and every answer decoded. */
export const runJson = (view: DiagRunView, answers: readonly DiagRunAnswer[]) => `${JSON.stringify({ ...view, answers }, null, 2)}\n`
