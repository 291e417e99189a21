import type { FlashProgress } from '../shared/diag'

/** Flash progress on stderr: one line redrawn in place on a terminal, plain lines in a log or a pipe. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB']
export function formatBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`
  const m = Math.floor(seconds / 60)
  return `${m} min ${Math.round(seconds - m * 60)} s`
}

/** "transfer  45%  472.0 KiB of 1.0 MiB  350.2 KiB/s  ETA 1.6 s", or the step alone before the transfer. */
export function describeProgress(p: FlashProgress): string {
  if (p.step !== 'transfer' || p.bytesTotal === 0) return p.step
  const percent = Math.floor((p.bytesSent / p.bytesTotal) * 100)
  const speed = p.bytesPerSecond > 0 ? `  ${formatBytes(p.bytesPerSecond)}/s` : ''
  const eta = p.etaSeconds === null ? '' : `  ETA ${formatSeconds(p.etaSeconds)}`
  return `transfer ${String(percent).padStart(3)}%  ${formatBytes(p.bytesSent)} of ${formatBytes(p.bytesTotal)}${speed}${eta}`
}

export interface ProgressWriter {
  update(progress: FlashProgress): void
  /** Ends the redrawn line, so what follows starts on a line of its own. */
  end(): void
}

/** Plain lines report each step once and the transfer every tenth. */
const PLAIN_STEP_PERCENT = 10

export function progressWriter(stream: NodeJS.WritableStream & { isTTY?: boolean }, label: string): ProgressWriter {
  let open = false
  let lastStep = ''
  let lastTenth = -1
  return {
    update(p) {
      const line = `${label} ${describeProgress(p)}`
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${line}`)
        open = true
        return
      }
      const tenth = p.step === 'transfer' && p.bytesTotal > 0 ? Math.floor(((p.bytesSent / p.bytesTotal) * 100) / PLAIN_STEP_PERCENT) : -1
      if (p.step === lastStep && tenth === lastTenth) return
      lastStep = p.step
      lastTenth = tenth
      stream.write(`${line}\n`)
    },
    end() {
      if (open) stream.write('\n')
      open = false
    }
  }
}
