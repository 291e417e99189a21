import type { Failure } from './exit-codes'

/** Human lines on stdout by default; with --json exactly one JSON document on stdout. Progress and errors go to stderr. */
export function emit(json: boolean, value: unknown, lines: () => string[]) {
  if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
  else for (const line of lines()) process.stdout.write(`${line}\n`)
}

export const say = (line: string) => process.stdout.write(`${line}\n`)
export const note = (line: string) => process.stderr.write(`${line}\n`)

/** The error as JSON scripts read it: what kind, the exit code, the message, and the NRC or timer when there is one. */
export const errorJson = (failure: Failure) => ({
  error: { kind: failure.kind, exit: failure.exit, message: failure.message, ...(failure.nrc && { nrc: failure.nrc }), ...(failure.timer && { timer: failure.timer }) }
})

/**
 * Ctrl-C during a flash aborts it: the sequence stops at the next request and sends the ECU back
 * to its default session. A second Ctrl-C leaves at once.
 */
export function abortOnInterrupt(what: string) {
  const controller = new AbortController()
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130)
    note(`\nAborting ${what}: returning the ECU to its default session (Ctrl-C again to quit at once)…`)
    controller.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return { signal: controller.signal, dispose: () => (process.off('SIGINT', onSignal), process.off('SIGTERM', onSignal)) }
}
