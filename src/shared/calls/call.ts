import type { z } from 'zod'

/** One call of the contract: what the renderer sends, and what the core answers. */
export const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output })
