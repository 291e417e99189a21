import type { DiagRunAnswer, DtcCount, EcuAggregate } from '../../shared/calls/diagnostic-runs'
import { DTC_STATUS_MASK } from '../../shared/uds'

/** How many DTC codes the chart of the most frequent ones shows. */
export const TOP_DTCS = 10

type Answer = Pick<DiagRunAnswer, 'ecu' | 'zonalGateway' | 'decoded' | 'error'>

const dtcsOf = (answer: Answer) => (answer.decoded?.kind === 'positive' ? (answer.decoded.dtcs ?? []) : [])

/**
 * A run's answers per zonal gateway and ECU: how many were asked, how they answered, and the
 * DTCs they reported (confirmed ones apart). Sorted by zonal gateway then ECU, the central
 * gateway ('') first.
 */
export function aggregateByEcu(answers: readonly Answer[]): EcuAggregate[] {
  const groups = new Map<string, EcuAggregate>()
  for (const answer of answers) {
    const key = `${answer.zonalGateway}\u0000${answer.ecu}`
    const group = groups.get(key) ?? { zonalGateway: answer.zonalGateway, ecu: answer.ecu, asked: 0, positive: 0, negative: 0, errors: 0, withDtcs: 0, dtcs: 0, confirmed: 0 }
    groups.set(key, group)
    group.asked++
    if (answer.error || !answer.decoded) group.errors++
    else if (answer.decoded.kind === 'negative') group.negative++
    else group.positive++
    const dtcs = dtcsOf(answer)
    if (dtcs.length > 0) group.withDtcs++
    group.dtcs += dtcs.length
    group.confirmed += dtcs.filter((d) => d.status & DTC_STATUS_MASK.confirmedDTC).length
  }
  return [...groups.values()].sort((a, b) => a.zonalGateway.localeCompare(b.zonalGateway) || a.ecu.localeCompare(b.ecu))
}

/** The DTC codes reported by the most ECUs, with the ECU ids that reported each; ties by code. */
export function topDtcs(answers: readonly Answer[], limit = TOP_DTCS): DtcCount[] {
  const counts = new Map<string, { count: number; ecus: Set<string> }>()
  for (const answer of answers) {
    for (const dtc of dtcsOf(answer)) {
      const entry = counts.get(dtc.code) ?? { count: 0, ecus: new Set<string>() }
      counts.set(dtc.code, entry)
      entry.count++
      entry.ecus.add(answer.ecu)
    }
  }
  return [...counts.entries()]
    .map(([code, { count, ecus }]) => ({ code, count, ecus: [...ecus].sort() }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
    .slice(0, limit)
}
