import { buildApi, createListenerRegistry } from '../../shared/api'
import type { CallName } from '../../shared/contract'
import type { Result } from '../../shared/errors'
import { ServerFrame, WS_CLOSE_BAD_TOKEN, WS_PATH } from '../../shared/wire'

// The token arrives once in the URL; keep it for reloads of this tab, and out of the address bar.
const TOKEN_KEY = 'ota-session-token'
const url = new URL(location.href)
const fromUrl = url.searchParams.get('token')
if (fromUrl) {
  sessionStorage.setItem(TOKEN_KEY, fromUrl)
  url.searchParams.delete('token')
  history.replaceState(null, '', url.pathname + url.search + url.hash)
}
const token = sessionStorage.getItem(TOKEN_KEY) ?? ''

type Pending = { frame: string; resolve: (r: Result<unknown>) => void }
const pending = new Map<number, Pending>()
const listeners = createListenerRegistry()
let nextId = 1
let socket: WebSocket | undefined
let refusedReason: string | undefined
let retryMs = 250

const failAll = (message: string) => {
  for (const [id, p] of pending) {
    pending.delete(id)
    p.resolve({ ok: false, error: { code: 'DISCONNECTED', message } })
  }
}

function connect() {
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}?token=${encodeURIComponent(token)}`)
  socket = ws
  ws.onopen = () => {
    retryMs = 250
    for (const p of pending.values()) ws.send(p.frame)
  }
  ws.onmessage = (message) => {
    const frame = ServerFrame.safeParse(JSON.parse(String(message.data)))
    if (!frame.success) return console.error('ota bridge: the host sent a frame outside the contract')
    const f = frame.data
    if (f.type === 'result') {
      pending.get(f.id)?.resolve(f.result as Result<unknown>)
      pending.delete(f.id)
    } else if (f.type === 'event') listeners.deliver(f.event, f.payload)
    else console.error(`ota bridge: ${f.message}`)
  }
  ws.onclose = (event) => {
    socket = undefined
    if (event.code === WS_CLOSE_BAD_TOKEN) {
      refusedReason = event.reason
      return failAll(event.reason)
    }
    // Calls in flight may or may not have run; report them rather than send them twice.
    failAll('The connection to the console host was lost; try again')
    setTimeout(connect, retryMs)
    retryMs = Math.min(retryMs * 2, 5000)
  }
}

function invoke(channel: CallName, input: unknown): Promise<Result<unknown>> {
  if (refusedReason) return Promise.resolve({ ok: false, error: { code: 'DISCONNECTED', message: refusedReason } })
  return new Promise((resolve) => {
    const id = nextId++
    const frame = JSON.stringify({ type: 'call', id, channel, input })
    pending.set(id, { frame, resolve })
    if (socket?.readyState === WebSocket.OPEN) socket.send(frame)
  })
}

window.ota = buildApi({ invoke, subscribe: (event, listener) => listeners.add(event, listener) })
connect()
