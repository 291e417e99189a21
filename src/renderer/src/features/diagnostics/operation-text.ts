import type { EcuSelection } from '../../../../shared/calls/diagnostic-runs'
import type { DiagOperation } from '../../../../shared/calls/uds-operation'
import type { useT } from '../../i18n'
import { spacedHex } from './diagnostics-form'
import type { Problem } from './diagnostics-store'

type T = ReturnType<typeof useT>

/** A run's service in a few words: "Read DTCs (19 02, mask FF)". */
export function operationText(t: T, operation: DiagOperation): string {
  switch (operation.kind) {
    case 'readDtcs':
      return t('dxOpReadDtcs', { mask: operation.statusMask.toString(16).toUpperCase().padStart(2, '0') })
    case 'readDids':
      return t('dxOpReadDids', { dids: operation.dids.join(', ') })
    case 'raw':
      return t('dxOpRaw', { hex: spacedHex(operation.uds) })
  }
}

export const ecusText = (t: T, ecus: EcuSelection) => (ecus === 'all' ? t('dxAllEcus') : ecus.join(', '))

export const problemText = (t: T, problem: Problem) => ('message' in problem ? problem.message : t(problem.key, problem.vars))
