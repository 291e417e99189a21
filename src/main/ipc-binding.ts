import type { IpcMainInvokeEvent } from 'electron'
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../shared/contract'
import { fail } from '../shared/errors'
import type { Core } from '../core/create-core'

/** The slice of ipcMain the binding needs, so tests can hand it a stand-in. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void
  removeHandler(channel: string): void
}

/**
 * Binds the whole contract to one ipcMain channel. Every call passes the sender check, then the
 * core's dispatcher validates it against the contract.
 */
export function bindContract(ipc: IpcMainLike, core: Core, isTrustedSender: (event: IpcMainInvokeEvent) => boolean): () => void {
  ipc.handle(IPC_CALL_CHANNEL, (event, channel, input) => {
    if (!isTrustedSender(event)) {
      return fail('UNTRUSTED_SENDER', 'This call did not come from the console window and was refused')
    }
    return core.dispatch(channel, input)
  })
  return () => ipc.removeHandler(IPC_CALL_CHANNEL)
}

/** Forwards core events to a window for as long as it lives. */
export function forwardEvents(core: Core, target: { isDestroyed(): boolean; send(channel: string, ...args: unknown[]): void }) {
  return core.subscribe((event, payload) => {
    if (!target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, event, payload)
  })
}
