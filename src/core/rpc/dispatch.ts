import { calls, isCallName, type CallHandlers } from '../../shared/contract'
import { describeIssues, fail, ok, OtaError, type Result } from '../../shared/errors'

export type Dispatch = (channel: unknown, input: unknown) => Promise<Result<unknown>>

/**
 * The one entry point for every transport: checks the channel against the contract, parses the
 * input, runs the handler and wraps the outcome. Nothing a caller sends can throw past here.
 * With checkOutputs (development and tests) every answer is parsed against the contract too, so
 * a handler that drifts from its declaration fails where it answers, not in a screen.
 */
export function createDispatcher(handlers: CallHandlers, log: (line: string) => void, { checkOutputs = false } = {}): Dispatch {
  return async (channel, input) => {
    if (!isCallName(channel)) {
      return fail('UNKNOWN_CHANNEL', `Unknown call "${String(channel).slice(0, 80)}"`)
    }
    const parsed = calls[channel].input.safeParse(input)
    if (!parsed.success) return fail('INVALID_INPUT', `Invalid input for ${channel}: ${describeIssues(parsed.error)}`)
    try {
      const handler = handlers[channel] as (args: unknown) => unknown
      const out = await handler(parsed.data)
      if (checkOutputs) {
        const answer = calls[channel].output.safeParse(out)
        if (!answer.success) {
          log(`call ${channel} answered outside the contract: ${describeIssues(answer.error)}`)
          return fail('INTERNAL', `${channel} answered outside the contract: ${describeIssues(answer.error)}`)
        }
      }
      return ok(out)
    } catch (err) {
      if (err instanceof OtaError) return fail(err.code, err.message)
      log(`call ${channel} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
      return fail('INTERNAL', `${channel} failed unexpectedly; the console log has the details`)
    }
  }
}
