import type { ExecutionState } from '../../../../shared/fleet/jobs'
import { FailureCause } from '../../../../shared/protocol/messages'
import type { MessageKey } from '../../i18n'

/** How the dashboard groups execution states: what a person watching a rollout cares about. */
export const STATE_GROUPS = {
  succeeded: ['succeeded'],
  failed: ['failed', 'timed_out'],
  inFlight: ['notified', 'accepted', 'downloading', 'verifying', 'installing', 'rebooting', 'monitoring'],
  queued: ['queued'],
  other: ['rejected', 'canceled']
} as const satisfies Record<string, readonly ExecutionState[]>
export type StateGroup = keyof typeof STATE_GROUPS

export const TONE: Record<StateGroup, 'ok' | 'bad' | 'busy' | 'idle' | 'muted'> = { succeeded: 'ok', failed: 'bad', inFlight: 'busy', queued: 'idle', other: 'muted' }

export const grouped = (counts: Record<string, number>): Record<StateGroup, number> => {
  const sum = (states: readonly string[]) => states.reduce((n, s) => n + (counts[s] ?? 0), 0)
  return {
    succeeded: sum(STATE_GROUPS.succeeded),
    failed: sum(STATE_GROUPS.failed),
    inFlight: sum(STATE_GROUPS.inFlight),
    queued: sum(STATE_GROUPS.queued),
    other: sum(STATE_GROUPS.other)
  }
}

export const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0)

/** "about 3 min", "about 1 h 20 min", or nothing when no estimate can be made. */
export function etaWords(seconds: number | null | undefined): { h: number; m: number; s: number } | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return null
  const rounded = Math.max(0, Math.round(seconds))
  return { h: Math.floor(rounded / 3600), m: Math.floor((rounded % 3600) / 60), s: rounded % 60 }
}

/** The words for a failure cause; a cause this console does not know is shown as it came. */
export const causeText = (t: (key: MessageKey) => string, cause: string | null) => {
  if (!cause) return t('fail_unknown')
  return FailureCause.safeParse(cause).success ? t(`fail_${cause}` as MessageKey) : cause
}
