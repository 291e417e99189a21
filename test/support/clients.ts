import type { IpcMainInvokeEvent } from 'electron'
import WebSocket from 'ws'
import { buildApi, createListenerRegistry, type OtaApi } from '../../src/shared/api'
import { IPC_CALL_CHANNEL, type CallName } from '../../src/shared/contract'
import type { Result } from '../../src/shared/errors'
import { ServerFrame } from '../../src/shared/wire'
import { createCore, type Core, type CoreOptions } from '../../src/core/create-core'
import { bindContract, forwardEvents, type IpcMainLike } from '../../src/main/ipc-binding'
import { startHost } from '../../src/host/server'
import { tempDir } from './temp-dir'

export interface ContractClient {
  api: OtaApi
  /** Sends anything at all down the transport, as a hostile or buggy page could. */
  raw(channel: string, input: unknown): Promise<Result<unknown>>
  dataDir: string
  close(): Promise<void>
}

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown

/** A stand-in for ipcMain: the binding registers handlers on it; we invoke them as Electron would. */
export function standInIpcMain() {
  const handlers = new Map<string, Listener>()
  const ipc: IpcMainLike & { invoke(channel: string, event: unknown, ...args: unknown[]): Promise<unknown> } = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
    async invoke(channel, event, ...args) {
      const handler = handlers.get(channel)
      if (!handler) throw new Error(`No handler registered for '${channel}'`)
      // Electron's IPC copies arguments with the structured clone algorithm.
      return structuredClone(await handler(event as IpcMainInvokeEvent, ...structuredClone(args)))
    }
  }
  return ipc
}

export const TRUSTED_EVENT = { sender: { id: 1 }, senderFrame: { url: 'file:///app/out/renderer/index.html' } }
const trusted = (event: IpcMainInvokeEvent) => event.sender.id === 1

async function makeCore(options: Partial<CoreOptions> = {}) {
  const data = tempDir('ota-core')
  const core = await createCore({ dataDir: data.dir, version: 'test', log: () => {}, ...options })
  return { core, data }
}

export async function ipcClient(options?: Partial<CoreOptions>): Promise<ContractClient & { core: Core; ipc: ReturnType<typeof standInIpcMain> }> {
  const { core, data } = await makeCore(options)
  const ipc = standInIpcMain()
  const unbind = bindContract(ipc, core, trusted)
  const listeners = createListenerRegistry()
  const stopEvents = forwardEvents(core, {
    isDestroyed: () => false,
    send: (_channel, event, payload) => listeners.deliver(event, structuredClone(payload))
  })
  const raw = (channel: string, input: unknown) => ipc.invoke(IPC_CALL_CHANNEL, TRUSTED_EVENT, channel, input) as Promise<Result<unknown>>
  return {
    api: buildApi({ invoke: (channel: CallName, input) => raw(channel, input), subscribe: listeners.add }),
    raw,
    core,
    ipc,
    dataDir: data.dir,
    async close() {
      stopEvents()
      unbind()
      await core.close()
      data.remove()
    }
  }
}

/** A Node client for the browser host's WebSocket, speaking the same frames as the page's bridge. */
export async function openSocket(url: string) {
  const ws = new WebSocket(url)
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const pending = new Map<number, (r: Result<unknown>) => void>()
  const listeners = createListenerRegistry()
  const protocolErrors: string[] = []
  ws.on('message', (data) => {
    const frame = ServerFrame.parse(JSON.parse(data.toString()))
    if (frame.type === 'result') pending.get(frame.id)?.(frame.result as Result<unknown>)
    else if (frame.type === 'event') listeners.deliver(frame.event, frame.payload)
    else protocolErrors.push(frame.message)
  })
  let nextId = 1
  const raw = (channel: string, input: unknown) =>
    new Promise<Result<unknown>>((resolve) => {
      const id = nextId++
      pending.set(id, resolve)
      ws.send(JSON.stringify({ type: 'call', id, channel, input }))
    })
  return { ws, raw, listeners, protocolErrors }
}

export async function wsClient(options?: Partial<CoreOptions>): Promise<ContractClient & { wsUrl: string; token: string; port: number }> {
  const { core, data } = await makeCore(options)
  const host = await startHost({ core, rendererDir: data.dir, bridgeFile: '/nonexistent' })
  const wsUrl = `ws://127.0.0.1:${host.port}/ota`
  const socket = await openSocket(`${wsUrl}?token=${host.token}`)
  return {
    api: buildApi({ invoke: (channel, input) => socket.raw(channel, input), subscribe: socket.listeners.add }),
    raw: socket.raw,
    dataDir: data.dir,
    wsUrl,
    token: host.token,
    port: host.port,
    async close() {
      socket.ws.close()
      await host.close()
      await core.close()
      data.remove()
    }
  }
}
