import type { FlashProgress } from '../shared/uds-client'
import { formatsFor } from '../shared/format'

/** Flash progress on stderr: one line redrawn in place on a terminal, plain lines in a log or a pipe. */

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`
  const m = Math.floor(seconds / 60)
  return `${m} min ${Math.round(seconds - m * 60)} s`
}

/** "transfer  45%  472 kB of 1.05 MB  350 kB/s  ETA 1.6 s", or the step alone before the transfer. */
export function describeProgress(p: FlashProgress): string {
  if (p.step !== 'transfer' || p.bytesTotal === 0) return p.step
  const percent = Math.floor((p.bytesSent / p.bytesTotal) * 100)
  const { bytes, rate } = formatsFor('en')
  const speed = p.bytesPerSecond > 0 ? `  ${rate(p.bytesPerSecond)}` : ''
  const eta = p.etaSeconds === null ? '' : `  ETA ${formatSeconds(p.etaSeconds)}`
  return `transfer ${String(percent).padStart(3)}%  ${bytes(p.bytesSent)} of ${bytes(p.bytesTotal)}${speed}${eta}`
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
