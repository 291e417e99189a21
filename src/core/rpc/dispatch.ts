import type { z } from 'zod'
import { calls, isCallName, type CallHandlers } from '../../shared/contract'
import { fail, ok, OtaError, type Result } from '../../shared/errors'

export type Dispatch = (channel: unknown, input: unknown) => Promise<Result<unknown>>

const describeIssues = (error: z.ZodError) =>
  error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ')

/**
 * The one entry point for every transport: checks the channel against the contract, parses the
 * input, runs the handler and wraps the outcome. Nothing a caller sends can throw past here.
 */
export function createDispatcher(handlers: CallHandlers, log: (line: string) => void): Dispatch {
  return async (channel, input) => {
    if (!isCallName(channel)) {
      return fail('UNKNOWN_CHANNEL', `Unknown call "${String(channel).slice(0, 80)}"`)
    }
    const parsed = calls[channel].input.safeParse(input)
    if (!parsed.success) return fail('INVALID_INPUT', `Invalid input for ${channel}: ${describeIssues(parsed.error)}`)
    try {
      const handler = handlers[channel] as (args: unknown) => unknown
      return ok(await handler(parsed.data))
    } catch (err) {
      if (err instanceof OtaError) return fail(err.code, err.message)
      // Log the channel and error only: inputs may hold secrets.
      log(`call ${channel} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
      return fail('INTERNAL', `${channel} failed unexpectedly; the console log has the details`)
    }
  }
}
