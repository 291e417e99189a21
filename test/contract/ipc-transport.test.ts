import { describe, expect, it } from 'vitest'
import { IPC_CALL_CHANNEL } from '../../src/shared/contract'
import { ipcClient } from '../support/clients'
import { profilesContractSuite } from './profiles-suite'

profilesContractSuite('the Electron IPC binding', ipcClient)

describe('the Electron IPC binding', () => {
  it('refuses calls from any frame but the console window', async () => {
    const client = await ipcClient()
    try {
      const foreign = { sender: { id: 2 }, senderFrame: { url: 'https://evil.example/' } }
      const result = await client.ipc.invoke(IPC_CALL_CHANNEL, foreign, 'profiles.list', undefined)
      expect(result).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } })
    } finally {
      await client.close()
    }
  })
})
