import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DoipTransport } from '../../src/core/diag/doip/doip-transport'
import { createDiagSession } from '../../src/core/diag/session'
import { createSandbox } from '../../src/core/sandbox/sandbox'
import { SandboxStatus } from '../../src/shared/sandbox'
import { memoryKeychain } from '../support/memory-keychain'
import { tempDir } from '../support/temp-dir'

const root = join(__dirname, '../..')
/** As `npm run serve` runs them: the backend and the vehicles from source. */
const launcher = { command: (program: 'backend' | 'vehicles') => ({ file: process.execPath, args: ['--import', 'tsx', join(root, `src/${program === 'backend' ? 'backend' : 'vehicle'}/cli.ts`)] }) }

/** Holds the standard DoIP port as a bench vehicle would; when something else holds it already, so much the better. */
const holdDoipPort = () =>
  new Promise<Server | undefined>((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(undefined))
    server.listen(13400, '127.0.0.1', () => resolve(server))
  })

describe('Local sandbox', () => {
  it('puts its first vehicle on DoIP on loopback, even with port 13400 taken, and its status says where and which VIN', async () => {
    const held = await holdDoipPort()
    const data = tempDir('ota-sandbox')
    const changes: SandboxStatus[] = []
    const sandbox = createSandbox({ dir: data.dir, launcher, vehicles: 3, secrets: memoryKeychain(), onReady: async () => {}, onStatus: (s) => changes.push(s), log: () => {} })
    try {
      const status = SandboxStatus.parse(await sandbox.start())
      expect(status).toMatchObject({ state: 'running', message: null, doip: { host: '127.0.0.1', vin: expect.stringMatching(/^[A-HJ-NPR-Z0-9]{17}$/) } })
      expect(changes.at(-1)).toEqual(status)
      const { host, port, vin } = status.doip!

      // What the Workshop does with it: connect, activate routing, ask the gateway for its VIN.
      const session = createDiagSession(await DoipTransport.open({ host, port }))
      try {
        expect((await session.readDids(0x0e00, [0xf190]))[0]?.value).toBe(vin)
      } finally {
        await session.close()
      }

      expect(await sandbox.stop()).toMatchObject({ state: 'off', doip: null })
      await expect(DoipTransport.open({ host, port })).rejects.toThrow(/connection refused/)
    } finally {
      await sandbox.stop()
      held?.close()
      data.remove()
    }
  }, 180_000)
})
