import { z } from 'zod'
import { CallError } from './errors'

/** Frames of the browser host's WebSocket: the same contract as the Electron IPC. */
export const ClientFrame = z.object({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  channel: z.string().max(128),
  input: z.unknown().optional()
})
export type ClientFrame = z.infer<typeof ClientFrame>

const ResultEnvelope = z.union([z.object({ ok: z.literal(true), value: z.unknown().optional() }), z.object({ ok: z.literal(false), error: CallError })])

export const ServerFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: z.number(), result: ResultEnvelope }),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
  z.object({ type: z.literal('protocol-error'), message: z.string() })
])
export type ServerFrame = z.infer<typeof ServerFrame>

/** Close codes the host uses, so the page can tell a bad token from a dropped line. */
export const WS_CLOSE_BAD_TOKEN = 4401
export const WS_PATH = '/ota'
export const WS_MAX_PAYLOAD = 1024 * 1024
