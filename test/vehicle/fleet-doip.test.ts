import { randomBytes } from 'node:crypto'
import { crc32 } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { demoXorRotateKey, encodeUdsRequest, fromHex, toHex } from '../../src/shared/uds'
import { startDoipEntities } from '../../src/vehicle/doip/entities'
import { createEcuNetwork } from '../../src/vehicle/ecu/network'
import { startFleet } from '../../src/vehicle/fleet'
import { vehicleSpec } from '../../src/vehicle/fleet-spec'
import { seeded } from '../../src/vehicle/random'
import { apiClient } from '../support/https-client'
import { freePort } from '../support/free-port'
import { tempDir } from '../support/temp-dir'
import { connectTester } from './doip-tester'

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0))

describe('DoIP entities of a fleet', () => {
  const data = tempDir('ota-fleet-doip')
  let backend: RunningBackend
  beforeAll(async () => {
    backend = await startBackend({ dataDir: data.dir, log: () => {} })
  })
  afterAll(async () => {
    await backend.close()
    data.remove()
  })

  it('puts vehicle i on port P + i', async () => {
    const networks = [0, 1, 2].map((i) => createEcuNetwork({ config: structuredClone(vehicleSpec(seeded(5), i, ['model_a'], 1).config) }))
    // Another process may hold one of three consecutive ports: try a few bases.
    for (let attempt = 0; ; attempt++) {
      const base = await freePort()
      try {
        const entities = await startDoipEntities(networks, { host: '127.0.0.1', port: base })
        expect(entities.map((e) => [e.tcpPort, e.udpPort, e.info.vin])).toEqual(networks.map((n, i) => [base + i, base + i, n.vin]))
        await Promise.all(entities.map((e) => e.close()))
        return
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt === 5) throw err
      }
    }
  })

  it('with a DoIP vehicle limit, only the first vehicles listen (a large fleet does not hold two sockets per vehicle)', async () => {
    const fleet = await startFleet({
      backendUrl: backend.url,
      mqttUrl: backend.mqttUrl,
      ca: backend.caCertPem,
      token: backend.firstAdminToken!,
      count: 3,
      models: ['model_a'],
      ecus: 1,
      failureRate: 0,
      offlineRate: 0,
      seed: 78,
      pq: false,
      pollMs: 0,
      doip: { host: '127.0.0.1', port: 0, vehicles: 1 },
      log: () => {}
    })
    try {
      expect(fleet.entities.map((e) => e.info.vin)).toEqual([fleet.vehicles[0]!.spec.vin])
      const tester = await connectTester(fleet.entities[0]!.tcpPort)
      expect(await tester.activate()).toBe(0x10)
      tester.close()
    } finally {
      await fleet.stop()
    }
  })

  it('flashes an ECU of a connected vehicle over DoIP; the backend hears its new version', async () => {
    const api = apiClient(backend.url, backend.caCertPem)
    const token = backend.firstAdminToken!
    const fleet = await startFleet({
      backendUrl: backend.url,
      mqttUrl: backend.mqttUrl,
      ca: backend.caCertPem,
      token,
      count: 2,
      models: ['model_a'],
      ecus: 2,
      failureRate: 0,
      offlineRate: 0,
      seed: 77,
      pq: false,
      pollMs: 0,
      doip: { host: '127.0.0.1', port: 0 },
      log: () => {}
    })
    try {
      expect(fleet.entities.map((e) => e.info.vin)).toEqual(fleet.vehicles.map((v) => v.spec.vin))
      const vin = fleet.vehicles[1]!.spec.vin
      const tester = await connectTester(fleet.entities[1]!.tcpPort)
      expect(await tester.activate()).toBe(0x10)
      const ask = async (uds: Uint8Array | string) => {
        tester.send({ type: 'diagnosticMessage', sourceAddress: 0x0e80, targetAddress: 0x1002, userData: typeof uds === 'string' ? fromHex(uds) : uds })
        expect(await tester.next()).toMatchObject({ type: 'diagnosticMessageAck' })
        for (;;) {
          const message = await tester.next()
          if (message?.type !== 'diagnosticMessage') throw new Error(`no UDS response: ${message?.type}`)
          if (toHex(message.userData) !== '7F3178') return toHex(message.userData)
        }
      }
      const image = new Uint8Array(randomBytes(9000))
      const crc = Buffer.alloc(4)
      crc.writeUInt32BE(crc32(image) >>> 0)
      expect(await ask('10 02')).toBe('5002003201F4')
      const seed = fromHex((await ask('27 01')).slice(4))
      expect(await ask(`27 02 ${toHex(demoXorRotateKey(seed, 1))}`)).toBe('6702')
      expect(await ask(Uint8Array.of(0x2e, 0xf1, 0xa0, ...ascii('1.5.0')))).toBe('6EF1A0')
      expect(await ask(encodeUdsRequest({ service: 'routineControl', control: 1, routineId: 0xff00, option: new Uint8Array() }))).toBe('7101FF0000')
      expect(await ask(encodeUdsRequest({ service: 'requestDownload', address: 0, size: image.length }))).toBe('74201000')
      for (let offset = 0, counter = 1; offset < image.length; offset += 4094, counter++) {
        expect(await ask(encodeUdsRequest({ service: 'transferData', blockSequenceCounter: counter, data: image.subarray(offset, offset + 4094) }))).toBe(`760${counter}`)
      }
      expect(await ask(Uint8Array.of(0x37, ...crc))).toBe(`77${toHex(crc)}`)
      expect(await ask('31 01 FF 01')).toBe('7101FF0100')
      expect(await ask('11 01')).toBe('5101')
      expect(await ask('22 F1 95')).toBe(`62F195${toHex(ascii('1.5.0'))}`)
      tester.close()

      await expect
        .poll(async () => (await api.get(`/api/v1/vehicles/${vin}`, { token })).json.ecus.find((e: { id: string }) => e.id === 'ECU_002')?.software, { timeout: 5000 })
        .toBe('1.5.0')
    } finally {
      await fleet.stop()
    }
  })
})
