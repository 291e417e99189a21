import { createServer, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { DiagError } from '../../src/core/uds-session/errors'
import { discoverEntities } from '../../src/core/uds-session/doip/discovery'
import { DoipTransport, type DoipTransportOptions, type TransportState } from '../../src/core/uds-session/doip/doip-transport'
import { createDiagSession, type DiagSession } from '../../src/core/uds-session/session'
import { NegativeResponseError } from '../../src/shared/uds-client'
import { demoXorRotateKey, encodeNegativeResponse, fromHex, NRC, SESSION, SID, toHex } from '../../src/shared/uds'
import type { DoipTimers } from '../../src/vehicle/doip/connection'
import { startDoipEntity, type DoipEntity } from '../../src/vehicle/doip/entity'
import type { EcuSettings } from '../../src/vehicle/ecu/context'
import { createEcuNetwork, type EcuNetwork } from '../../src/vehicle/ecu/network'
import type { EcuServer } from '../../src/vehicle/ecu/server'
import { vehicleSpec } from '../../src/vehicle/fleet-spec'
import { seeded } from '../../src/vehicle/random'
import { messagesOf, startRecordingProxy } from '../support/doip-capture'
import { freePort } from '../support/free-port'
import { manualClock } from '../vehicle/harness'

const network = (settings: Partial<EcuSettings> = {}) => createEcuNetwork({ config: structuredClone(vehicleSpec(seeded(3), 0, ['model_a'], 2).config), settings })

const cleanup: (() => Promise<unknown> | unknown)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

async function entity(options: { settings?: Partial<EcuSettings>; timers?: Partial<DoipTimers>; maxSockets?: number; network?: EcuNetwork; tcpPort?: number } = {}) {
  const started = await startDoipEntity({
    network: options.network ?? network(options.settings),
    tcpPort: options.tcpPort ?? 0,
    announce: false,
    timers: options.timers,
    maxSockets: options.maxSockets
  })
  let closing: Promise<void> | undefined
  const close = () => (closing ??= started.close())
  cleanup.push(close)
  return { ...started, close }
}

async function open(at: DoipEntity | number, options: Partial<DoipTransportOptions> = {}) {
  const states: TransportState[] = []
  const transport = await DoipTransport.open({ host: '127.0.0.1', port: typeof at === 'number' ? at : at.tcpPort, onState: (s) => states.push(s), ...options })
  const session = createDiagSession(transport)
  cleanup.push(() => session.close())
  return { transport, session, states }
}

const failure = async (promise: Promise<unknown>) => {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(DiagError)
  return err as DiagError
}

/** A stand-in ECU at 0x1001 that answers once `answer` lets it, or asks to wait once and then never answers. */
function slowNetwork(base: EcuNetwork, behaviour: { late: Promise<void> } | 'pendingThenSilent'): EcuNetwork {
  const real = base.server(0x1001)!
  const slow: EcuServer = {
    ...real,
    async handle(request, send) {
      if (behaviour === 'pendingThenSilent') return send(encodeNegativeResponse({ requestSid: request[0]!, nrc: NRC.requestCorrectlyReceivedResponsePending }))
      await behaviour.late
      return real.handle(request, send)
    },
    request: () => Promise.resolve(undefined)
  }
  return { ...base, servers: base.servers.map((s) => (s === real ? slow : s)), server: (a) => (a === 0x1001 ? slow : base.server(a)) }
}

describe('the DoIP client against the simulated entity', () => {
  it('discovers the vehicle over UDP and reads its VIN, DIDs and DTCs', async () => {
    const at = await entity()
    const found = await discoverEntities({ address: '127.0.0.1', port: at.udpPort, timeoutMs: 300 })
    expect(found).toEqual([
      {
        vin: at.info.vin,
        logicalAddress: 0x0e00,
        eid: toHex(at.info.eid, ':'),
        gid: toHex(at.info.gid, ':'),
        furtherAction: 'noFurtherActionRequired',
        host: '127.0.0.1',
        port: at.udpPort
      }
    ])

    const { session, transport, states } = await open(at)
    expect(transport.entityAddress).toBe(0x0e00)
    expect(states).toEqual([{ state: 'connected', entityAddress: 0x0e00 }])
    expect(await session.readDids(0x0e00, [0xf190])).toMatchObject([{ did: 0xf190, name: 'VIN', value: at.info.vin }])
    const ecu = await session.readDids(0x1001, [0xf190, 0xf195])
    expect(ecu.map((r) => [r.name, r.value])).toEqual([
      ['VIN', at.info.vin],
      ['System supplier ECU software version', '1.0.0']
    ])
    const dtcs = await session.readDtcs(0x1001, 0xff)
    expect(dtcs.length).toBeGreaterThanOrEqual(2)
    const negative = await session.readDids(0x1001, [0x1234]).catch((e: unknown) => e)
    expect(negative).toBeInstanceOf(NegativeResponseError)
    expect(negative).toMatchObject({
      nrcName: 'requestOutOfRange',
      message: 'ECU 0x1001: 0x22 refused: requestOutOfRange (0x31): A parameter (identifier, address, length, record) is out of range or unsupported'
    })
    const nack = await failure(session.request(0x2000, fromHex('22 F1 90')))
    expect(nack.failure).toEqual({ kind: 'doipNack', code: 0x03, name: 'unknownTargetAddress' })
  })

  it('reports each routing activation refusal the entity can give, in words', async () => {
    const at = await entity({ maxSockets: 1 })
    const unknown = await failure(open(at, { testerAddress: 0x0100 }))
    expect(unknown.failure).toEqual({ kind: 'routingDenied', code: 0x00, name: 'deniedUnknownSourceAddress' })
    expect(unknown.message).toBe('Routing activation denied: unknown source address (code 0x00)')
    expect((await failure(open(at, { activationType: 0x02 }))).failure).toMatchObject({ code: 0x06, name: 'deniedUnsupportedActivationType' })
    // The first tester answers the entity's alive check, so it keeps its address and the only socket.
    await open(at)
    expect((await failure(open(at))).failure).toMatchObject({ code: 0x03, name: 'deniedSourceAddressActiveElsewhere' })
    expect((await failure(open(at, { testerAddress: 0x0e81 }))).failure).toMatchObject({ code: 0x01, name: 'deniedAllSocketsRegistered' })
    const refused = await failure(open(await freePort()))
    expect(refused.failure).toMatchObject({ kind: 'connectionRefused', reason: 'connection refused' })
  })

  it('waits out 0x78 within P2* although the erase takes longer than P2', async () => {
    const at = await entity({ settings: { eraseMs: 400 } })
    const { session } = await open(at, { uds: { p2Ms: 150 } })
    expect(await session.changeSession(0x1001, SESSION.programming)).toEqual({ session: 2, timing: { p2Ms: 50, p2StarMs: 5000 } })
    await session.unlock(0x1001, 1, demoXorRotateKey)
    const started = performance.now()
    expect(toHex(await session.routine(0x1001, 1, 0xff00))).toBe('00')
    expect(performance.now() - started).toBeGreaterThanOrEqual(390)
  })

  it('reports P2 and P2* timeouts by name', async () => {
    let answer!: () => void
    const late = await entity({ network: slowNetwork(network(), { late: new Promise<void>((resolve) => (answer = resolve)) }) })
    const { session } = await open(late, { uds: { p2Ms: 100 } })
    const p2 = await failure(session.request(0x1001, fromHex('22 F1 90')))
    expect(p2.failure).toEqual({ kind: 'timeout', timer: 'p2', ms: 100 })
    expect(p2.message).toBe('Timeout p2: the ECU did not answer (P2 client) within 100 ms (0x1001)')
    // The ECU answers only now, long after P2.
    answer()
    // The gateway still answers on the same connection.
    expect((await session.readDids(0x0e00, [0xf190]))[0]?.value).toBe(late.info.vin)

    const silent = await entity({ network: slowNetwork(network(), 'pendingThenSilent') })
    const other = await open(silent, { uds: { p2Ms: 100, p2StarMs: 200 } })
    expect((await failure(other.session.request(0x1001, fromHex('22 F1 90')))).failure).toEqual({ kind: 'timeout', timer: 'p2Star', ms: 200 })
  })

  it('keeps a programming session alive past S3 with tester present, and stops when back in default', async () => {
    // The ECUs' clock moves 200 ms with each tester present 0x1001 hears: five are past three S3 of 300 ms.
    const clock = manualClock()
    const base = createEcuNetwork({ config: structuredClone(vehicleSpec(seeded(3), 0, ['model_a'], 2).config), settings: { s3Ms: 300 }, clock })
    const real = base.server(0x1001)!
    let testerPresents = 0
    let fifth!: () => void
    const fiveHeard = new Promise<void>((resolve) => (fifth = resolve))
    const counting: EcuServer = {
      ...real,
      handle(request, send, options) {
        if (request[0] === SID.testerPresent) {
          clock.advance(200)
          if (++testerPresents === 5) fifth()
        }
        return real.handle(request, send, options)
      }
    }
    const at = await entity({ network: { ...base, servers: base.servers.map((s) => (s === real ? counting : s)), server: (a) => (a === 0x1001 ? counting : base.server(a)) } })
    const transport = await DoipTransport.open({ host: '127.0.0.1', port: at.tcpPort })
    const session = createDiagSession(transport, { keepAliveMs: 100 })
    cleanup.push(() => session.close())
    await session.changeSession(0x1001, SESSION.programming)
    await session.changeSession(0x1002, SESSION.extended)
    expect(session.keptAlive().sort()).toEqual([0x1001, 0x1002])
    await session.changeSession(0x1002, SESSION.default)
    expect(session.keptAlive()).toEqual([0x1001])
    await fiveHeard
    expect((await session.readDids(0x1001, [0xf186]))[0]?.value).toBe(SESSION.programming)
    // S3 holds on this clock: past it without a request, the next one finds the default session.
    clock.advance(301)
    expect((await session.readDids(0x1001, [0xf186]))[0]?.value).toBe(SESSION.default)
  })

  it("answers the entity's alive checks and keeps an idle socket open with its own", async () => {
    const at = await entity({ timers: { generalInactivityMs: 300 } })
    const proxy = await startRecordingProxy(at.tcpPort)
    cleanup.push(() => proxy.close())
    const kept = await open(proxy.port, { timers: { generalInactivityMs: 300 } })
    const idle = await open(at, { testerAddress: 0x0e81, reconnect: { attempts: 0 } })
    await expect.poll(() => idle.states.at(-1), { timeout: 2000 }).toEqual({ state: 'disconnected', reason: 'The DoIP entity closed the connection' })
    expect((await failure(idle.session.request(0x1001, fromHex('22 F1 90')))).failure).toEqual({ kind: 'connectionClosed', reason: 'The DoIP entity closed the connection' })
    // Six of its alive checks answered, one every half period: three of the entity's inactivity periods, and the tester that checks in is still connected.
    await expect.poll(() => messagesOf(proxy.transcript, 'in').filter((m) => m.type === 'aliveCheckResponse').length, { timeout: 5000 }).toBeGreaterThanOrEqual(6)
    expect(kept.states).toEqual([{ state: 'connected', entityAddress: 0x0e00 }])
    expect((await kept.session.readDids(0x1001, [0xf190]))[0]?.value).toBe(at.info.vin)
  })

  it('times out a routing activation nobody answers', async () => {
    const accepted: Socket[] = []
    const silent: Server = createServer((socket) => accepted.push(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()))
    cleanup.push(() => new Promise((resolve) => (accepted.forEach((s) => s.destroy()), silent.close(resolve))))
    const port = (silent.address() as { port: number }).port
    const err = await failure(open(port, { timers: { routingActivationMs: 200 } }))
    expect(err.failure).toEqual({ kind: 'timeout', timer: 'routingActivation', ms: 200 })
  })

  it('reconnects and activates routing again after the entity restarts, and says so', async () => {
    const first = await entity()
    const port = first.tcpPort
    const { session, states } = await open(first, { reconnect: { attempts: 5, delayMs: 100 } })
    expect((await session.readDids(0x1001, [0xf195]))[0]?.value).toBe('1.0.0')
    await first.close()
    await expect.poll(() => states.at(-1)?.state).toBe('disconnected')
    await entity({ tcpPort: port })
    expect((await session.readDids(0x1001, [0xf195]))[0]?.value).toBe('1.0.0')
    expect(states.map((s) => s.state)).toEqual(['connected', 'disconnected', 'reconnecting', 'connected'])
    expect(states[2]).toMatchObject({ attempt: 1, of: 5 })
  })

  it('sessions are interchangeable: the same calls work through any transport', async () => {
    const at = await entity()
    const { session } = await open(at)
    const use = async (s: DiagSession) => (await s.readDids(0x1002, [0xf187]))[0]?.value
    expect(await use(session)).toBe('MODEL_A-ECU_002')
  })
})
