import { contextBridge, ipcRenderer } from 'electron'
import { buildApi, createListenerRegistry } from '../shared/api'
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../shared/contract'

// window.ota is derived from the contract: one generic invoke, no glue per call.
const listeners = createListenerRegistry()
ipcRenderer.on(IPC_EVENT_CHANNEL, (_event, name: unknown, payload: unknown) => listeners.deliver(name, payload))

contextBridge.exposeInMainWorld(
  'ota',
  buildApi({
    invoke: (channel, input) => ipcRenderer.invoke(IPC_CALL_CHANNEL, channel, input),
    subscribe: (event, listener) => listeners.add(event, listener)
  })
)
