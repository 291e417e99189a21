import WebSocket from 'ws'
import { describe, expect, it } from 'vitest'
import { WS_CLOSE_BAD_TOKEN } from '../../src/shared/wire'
import { openSocket, wsClient } from '../support/clients'
import { value } from '../support/profiles'
import { profilesContractSuite } from './profiles-suite'

profilesContractSuite('the WebSocket host', wsClient)

const closeOf = (url: string, headers?: Record<string, string>) =>
  new Promise<{ code: number; reason: string }>((resolve, reject) => {
    const ws = new WebSocket(url, { headers })
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))
    ws.on('error', reject)
  })

describe('the WebSocket host', () => {
  it('closes a connection with a wrong or missing token, saying why', async () => {
    const client = await wsClient()
    try {
      const wrong = await closeOf(`${client.wsUrl}?token=not-the-token`)
      expect(wrong).toEqual({ code: WS_CLOSE_BAD_TOKEN, reason: 'Invalid or missing session token: open the URL that npm run serve printed' })
      expect((await closeOf(client.wsUrl)).code).toBe(WS_CLOSE_BAD_TOKEN)
      expect(value(await client.api.profiles.list()).profiles).toEqual([])
    } finally {
      await client.close()
    }
  })

  it('refuses a page from another origin even with the token', async () => {
    const client = await wsClient()
    try {
      const err = await closeOf(`${client.wsUrl}?token=${client.token}`, { origin: 'http://evil.example' }).catch((e: Error) => e)
      expect(String(err)).toMatch(/403/)
    } finally {
      await client.close()
    }
  })

  it('answers malformed frames with a protocol error and survives oversize ones', async () => {
    const client = await wsClient()
    try {
      const socket = await openSocket(`${client.wsUrl}?token=${client.token}`)
      socket.ws.send('{not json')
      socket.ws.send(JSON.stringify({ type: 'call', id: 'x', channel: 'profiles.list' }))
      socket.ws.send(Buffer.from([1, 2, 3]), { binary: true })
      await expect
        .poll(() => socket.protocolErrors)
        .toEqual(['Frame is not valid JSON', 'Frame must be {type:"call", id, channel, input}', 'Binary frames are not part of the contract'])
      expect(value(await socket.raw('profiles.list', undefined))).toEqual({ profiles: [], activeId: null })

      const closed = new Promise<number>((resolve) => socket.ws.on('close', resolve))
      socket.ws.send(JSON.stringify({ type: 'call', id: 1, channel: 'profiles.create', input: { name: 'x'.repeat(2 * 1024 * 1024) } }))
      expect(await closed).toBe(1009)
      // Only that connection is gone: the host and other pages carry on.
      expect(value(await client.api.profiles.list()).profiles).toEqual([])
    } finally {
      await client.close()
    }
  })
})
