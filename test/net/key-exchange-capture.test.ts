import { join } from 'node:path'
import { connect } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { runtimeGroups } from '../../src/net/tls-groups'
import { dissect, startRecordingProxy } from '../support/doip-capture'
import { tempDir } from '../support/temp-dir'

/** IANA TLS group codes, as tshark prints them. */
const X25519MLKEM768 = '4588'
const X25519 = '29'
const SERVER_HELLO = '2'

// Wireshark reads the handshakes, not our code: a proxy records one connection through to the
// backend, and tshark names the group the server's ServerHello carries.
describe('the key exchange as tshark sees it on the wire', () => {
  const data = tempDir('ota-kex-capture')
  let backend: RunningBackend
  beforeAll(async () => {
    backend = await startBackend({ dataDir: join(data.dir, 'backend'), log: () => {} })
  })
  afterAll(async () => {
    await backend?.close()
    data.remove()
  })

  async function serverHelloGroups(port: number, groups: string) {
    const proxy = await startRecordingProxy(port)
    try {
      await new Promise<void>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: proxy.port, ca: backend.caCertPem, servername: 'localhost', ecdhCurve: groups }, () => {
          socket.end()
          resolve()
        })
        socket.once('error', reject)
      })
      await new Promise((resolve) => setTimeout(resolve, 100))
      const rows = dissect(proxy.transcript, ['tls.handshake.type', 'tls.handshake.extensions_key_share_group'], data.dir, 443)
      return rows.filter((r) => r['tls.handshake.type']!.split('/').includes(SERVER_HELLO)).map((r) => r['tls.handshake.extensions_key_share_group'])
    } finally {
      await proxy.close()
    }
  }

  it('the HTTPS API and the MQTT broker choose group 0x11ec (X25519MLKEM768) for a hybrid-capable client and X25519 for a classical one', async () => {
    const mqttPort = Number(new URL(backend.mqttUrl).port)
    for (const port of [backend.port, mqttPort]) {
      expect(await serverHelloGroups(port, runtimeGroups())).toEqual([X25519MLKEM768])
      expect(await serverHelloGroups(port, 'X25519:P-256')).toEqual([X25519])
    }
  })
})
