import type { WebSocket } from 'ws'
import { ClientFrame, type ServerFrame } from '../shared/wire'
import type { Core } from '../core/create-core'

/**
 * One browser page's connection: frames in are calls, validated by the same dispatcher as the
 * Electron IPC; results and core events go out. A bad frame gets a protocol-error, never a crash.
 */
export function bindSocket(ws: WebSocket, core: Core) {
  const send = (frame: ServerFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame))
  }
  ws.on('message', async (data, isBinary) => {
    if (isBinary) return send({ type: 'protocol-error', message: 'Binary frames are not part of the contract' })
    let json: unknown
    try {
      json = JSON.parse(data.toString())
    } catch {
      return send({ type: 'protocol-error', message: 'Frame is not valid JSON' })
    }
    const frame = ClientFrame.safeParse(json)
    if (!frame.success) {
      return send({ type: 'protocol-error', message: 'Frame must be {type:"call", id, channel, input}' })
    }
    const result = await core.dispatch(frame.data.channel, frame.data.input)
    send({ type: 'result', id: frame.data.id, result })
  })
  const unsubscribe = core.subscribe((event, payload) => send({ type: 'event', event, payload }))
  ws.on('close', unsubscribe)
  ws.on('error', () => ws.terminate())
}
