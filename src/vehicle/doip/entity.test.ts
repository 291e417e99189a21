import { createSocket } from 'node:dgram'
import { Socket } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { decodeDoipMessage, DoipStreamFramer, encodeDoipMessage, encodeHeader, type DoipMessage } from '../../shared/doip'
import { demoXorRotateKey, fromHex, toHex } from '../../shared/uds'
import { connectTester, udpAsk, udpUnanswered } from '../../../test/vehicle/doip-tester'
import { createEcuNetwork } from '../ecu/network'
import { vehicleSpec } from '../fleet-spec'
import { seeded } from '../random'
import { type DoipEntityOptions, startDoipEntity } from './entity'
import { eidFor } from './node-info'

const config = vehicleSpec(seeded(1), 0, ['model_a'], 3).config
const vinHex = toHex(
  Uint8Array.from(config.vin, (c) => c.charCodeAt(0)),
  ' '
)
const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  vi.useRealTimers()
  vi.restoreAllMocks()
  await Promise.all(running.splice(0).map((r) => r.close()))
})

async function entity(options: Partial<DoipEntityOptions> = {}) {
  const network = createEcuNetwork({ config: structuredClone(config) })
  const started = await startDoipEntity({ network, tcpPort: 0, announce: false, ...options })
  running.push(started)
  return started
}

const diag = (targetAddress: number, uds: string): DoipMessage => ({ type: 'diagnosticMessage', sourceAddress: 0x0e80, targetAddress, userData: fromHex(uds) })
const udsOf = (message: DoipMessage | undefined) =>
  message?.type === 'diagnosticMessage' ? `${message.sourceAddress.toString(16)}: ${toHex(message.userData, ' ')}` : message?.type

describe('DoIP entity: vehicle identification over UDP', () => {
  it('answers identification requests plain, by matching EID and by matching VIN, with the vehicle announcement', async () => {
    const { udpPort } = await entity()
    const expected = { type: 'vehicleAnnouncement', vin: config.vin, logicalAddress: 0x0e00, eid: eidFor(config.vin), gid: eidFor(config.vin), furtherAction: 0 }
    const [plain] = await udpAsk(udpPort, encodeDoipMessage({ type: 'vehicleIdentificationRequest' }, 0xff))
    expect(plain).toMatchObject({ header: { version: 2 }, message: expected })
    expect((await udpAsk(udpPort, encodeDoipMessage({ type: 'vehicleIdentificationRequestByVin', vin: config.vin })))[0]?.message).toMatchObject(expected)
    expect((await udpAsk(udpPort, encodeDoipMessage({ type: 'vehicleIdentificationRequestByEid', eid: eidFor(config.vin) }, 3)))[0]).toMatchObject({
      header: { version: 3 },
      message: expected
    })
    expect(await udpUnanswered(udpPort, encodeDoipMessage({ type: 'vehicleIdentificationRequestByVin', vin: 'WVWZZZ1JZXW000001' }))).toBe(true)
    expect(await udpUnanswered(udpPort, encodeDoipMessage({ type: 'vehicleIdentificationRequestByEid', eid: Uint8Array.of(1, 2, 3, 4, 5, 6) }))).toBe(true)
  })

  it('answers entity status and power mode, and NACKs what does not belong on UDP or does not decode', async () => {
    const { udpPort } = await entity()
    expect((await udpAsk(udpPort, encodeDoipMessage({ type: 'entityStatusRequest' })))[0]?.message).toEqual({
      type: 'entityStatusResponse',
      nodeType: 0,
      maxOpenSockets: 4,
      openSockets: 0,
      maxDataSize: 0x10003
    })
    expect((await udpAsk(udpPort, encodeDoipMessage({ type: 'powerModeRequest' })))[0]?.message).toEqual({ type: 'powerModeResponse', powerMode: 1 })
    expect((await udpAsk(udpPort, encodeDoipMessage({ type: 'routingActivationRequest', sourceAddress: 0x0e80, activationType: 0 })))[0]?.message).toEqual({
      type: 'genericNack',
      code: 0x01
    })
    expect((await udpAsk(udpPort, Uint8Array.of(0x02, 0xfc, 0x00, 0x01, 0, 0, 0, 0)))[0]?.message).toEqual({ type: 'genericNack', code: 0x00 })
    expect((await udpAsk(udpPort, Uint8Array.of(0x02, 0xfd, 0x00, 0x01, 0, 0, 0, 1, 0)))[0]?.message).toEqual({ type: 'genericNack', code: 0x04 })
  })

  it('announces itself three times at start', async () => {
    const listener = createSocket('udp4')
    const heard: ReturnType<typeof decodeDoipMessage>[] = []
    listener.on('message', (m) => heard.push(decodeDoipMessage(m)))
    await new Promise<void>((resolve) => listener.bind(0, '127.0.0.1', () => resolve()))
    try {
      await entity({ announce: { address: '127.0.0.1', port: listener.address().port } })
      await expect.poll(() => heard.length, { timeout: 3000 }).toBe(3)
      expect(heard[0]!.message).toMatchObject({ type: 'vehicleAnnouncement', vin: config.vin, logicalAddress: 0x0e00 })
    } finally {
      listener.close()
    }
  })
})

describe('DoIP entity: TCP', () => {
  it('activates routing for tester addresses 0E00-0FFF and refuses others, closing the socket', async () => {
    const { tcpPort } = await entity()
    const tester = await connectTester(tcpPort)
    tester.send({ type: 'routingActivationRequest', sourceAddress: 0x0e80, activationType: 0 })
    expect(await tester.next()).toEqual({ type: 'routingActivationResponse', testerAddress: 0x0e80, entityAddress: 0x0e00, responseCode: 0x10, reserved: 0 })
    expect(await tester.activate(0x0e81)).toBe(0x02)
    await tester.closed

    const outsider = await connectTester(tcpPort)
    expect(await outsider.activate(0x0001)).toBe(0x00)
    await outsider.closed
    const central = await connectTester(tcpPort)
    central.send({ type: 'routingActivationRequest', sourceAddress: 0x0e80, activationType: 0xe0 })
    expect(await central.next()).toMatchObject({ responseCode: 0x06 })
    await central.closed
  })

  it('keeps a tester address on the socket whose tester answers the alive check, and hands it over when it does not', async () => {
    const { tcpPort } = await entity({ timers: { aliveCheckMs: 200 } })
    const first = await connectTester(tcpPort, { answerAliveChecks: true })
    expect(await first.activate(0x0e80)).toBe(0x10)
    const second = await connectTester(tcpPort)
    expect(await second.activate(0x0e80)).toBe(0x03)
    await second.closed
    expect(first.isClosed()).toBe(false)

    const silent = await connectTester(tcpPort)
    expect(await silent.activate(0x0e90)).toBe(0x10)
    // The silent tester never answers the alive check request it is sent (it sits in its inbox).
    const successor = await connectTester(tcpPort)
    expect(await successor.activate(0x0e90)).toBe(0x10)
    await silent.closed
    expect(await silent.next(0)).toEqual({ type: 'aliveCheckRequest' })
  })

  it('routes diagnostic messages by target address: ECUs and the gateway answer after a positive ack; an unknown address gets NACK 03', async () => {
    const { tcpPort } = await entity()
    const tester = await connectTester(tcpPort)
    expect(await tester.activate()).toBe(0x10)
    tester.send(diag(0x1001, '22 F1 90'))
    expect(await tester.next()).toEqual({ type: 'diagnosticMessageAck', sourceAddress: 0x1001, targetAddress: 0x0e80, code: 0, previousData: new Uint8Array() })
    expect(udsOf(await tester.next())).toBe(`1001: 62 F1 90 ${vinHex}`)
    tester.send(diag(0x0e00, '22 F1 97'))
    await tester.next()
    expect(udsOf(await tester.next())).toBe('e00: 62 F1 97 43 65 6E 74 72 61 6C 20 67 61 74 65 77 61 79')
    tester.send(diag(0x2000, '22 F1 90'))
    expect(await tester.next()).toEqual({ type: 'diagnosticMessageNack', sourceAddress: 0x2000, targetAddress: 0x0e80, code: 0x03, previousData: new Uint8Array() })
    // A slow routine (erase, in the programming session after security access): 7F 31 78 first, then the answer.
    const ask = async (uds: string) => {
      tester.send(diag(0x1001, uds))
      await tester.next()
      return udsOf(await tester.next())
    }
    expect(await ask('10 02')).toBe('1001: 50 02 00 32 01 F4')
    const seed = fromHex(((await ask('27 01')) ?? '').slice('1001: 67 01 '.length))
    expect(await ask(`27 02 ${toHex(demoXorRotateKey(seed, 1))}`)).toBe('1001: 67 02')
    expect(await ask('31 01 FF 00')).toBe('1001: 7F 31 78')
    expect(udsOf(await tester.next())).toBe('1001: 71 01 FF 00 00')
  })

  it('sends a functionally addressed request to every ECU', async () => {
    const { tcpPort } = await entity()
    const tester = await connectTester(tcpPort)
    await tester.activate()
    tester.send(diag(0xe400, '22 F1 86'))
    expect(await tester.next()).toMatchObject({ type: 'diagnosticMessageAck', sourceAddress: 0xe400 })
    const answers = [await tester.next(), await tester.next(), await tester.next(), await tester.next()].map(udsOf).sort()
    expect(answers).toEqual(['1001: 62 F1 86 01', '1002: 62 F1 86 01', '1003: 62 F1 86 01', 'e00: 62 F1 86 01'])
    // Unsupported requests stay unanswered when functional: what follows their ack is the next request's.
    tester.send(diag(0xe400, '22 12 34'))
    expect(await tester.next()).toMatchObject({ type: 'diagnosticMessageAck', sourceAddress: 0xe400 })
    tester.send(diag(0x1001, '22 F1 86'))
    expect(await tester.next()).toMatchObject({ type: 'diagnosticMessageAck', sourceAddress: 0x1001 })
    expect(udsOf(await tester.next())).toBe('1001: 62 F1 86 01')
  })

  it('acks a diagnostic message at once in a write of its own and sends each response in another, as a gateway in front of ECUs does', async () => {
    const { tcpPort } = await entity()
    // Node hands a socket's data to the kernel in _writeGeneric, once per write (corked chunks together, as one writev).
    const handOff = vi.spyOn(Socket.prototype as unknown as { _writeGeneric(writev: boolean, data: unknown): void }, '_writeGeneric')
    const writes = () =>
      handOff.mock.calls.flatMap(([writev, data], i) => {
        if ((handOff.mock.contexts[i] as Socket).localPort !== tcpPort) return []
        const parts = writev ? (data as { chunk: Uint8Array }[]).map((c) => c.chunk) : [data as Uint8Array]
        return [new DoipStreamFramer().push(Buffer.concat(parts)).map((e) => (e.kind === 'message' ? e.message.type : 'error'))]
      })
    const tester = await connectTester(tcpPort)
    await tester.activate()
    handOff.mockClear()
    tester.send(diag(0x1001, '22 F1 90'))
    await tester.next()
    await tester.next()
    expect(writes()).toEqual([['diagnosticMessageAck'], ['diagnosticMessage']])
    handOff.mockClear()
    tester.send(diag(0xe400, '22 F1 86'))
    for (let i = 0; i < 5; i++) await tester.next()
    expect(writes()).toEqual([['diagnosticMessageAck'], ...Array(4).fill(['diagnosticMessage'])])
  })

  it('refuses a diagnostic message before routing activation (NACK 02) and closes the socket', async () => {
    const { tcpPort } = await entity()
    const tester = await connectTester(tcpPort)
    tester.send(diag(0x1001, '22 F1 90'))
    expect(await tester.next()).toMatchObject({ type: 'diagnosticMessageNack', code: 0x02 })
    await tester.closed
  })

  it('answers alive checks, entity status and power mode on TCP too', async () => {
    const { tcpPort } = await entity()
    const tester = await connectTester(tcpPort)
    await tester.activate()
    tester.send({ type: 'aliveCheckRequest' })
    expect(await tester.next()).toEqual({ type: 'aliveCheckResponse', sourceAddress: 0x0e00 })
    tester.send({ type: 'entityStatusRequest' })
    expect(await tester.next()).toMatchObject({ type: 'entityStatusResponse', openSockets: 1 })
    tester.send({ type: 'powerModeRequest' })
    expect(await tester.next()).toEqual({ type: 'powerModeResponse', powerMode: 1 })
  })

  it('NACKs malformed headers: unknown payload types and oversized messages are skipped, a broken pattern closes the socket', async () => {
    const { tcpPort } = await entity()
    const tester = await connectTester(tcpPort)
    await tester.activate()
    tester.sendRaw(Uint8Array.of(...encodeHeader({ version: 2, payloadType: 0x9999, payloadLength: 3 }), 1, 2, 3))
    expect(await tester.next()).toEqual({ type: 'genericNack', code: 0x01 })
    // Too large: NACK 02, and the payload is skipped, not buffered; the socket carries on.
    tester.sendRaw(Uint8Array.of(...encodeHeader({ version: 2, payloadType: 0x8001, payloadLength: 0x20000 })))
    tester.sendRaw(new Uint8Array(0x20000))
    expect(await tester.next()).toEqual({ type: 'genericNack', code: 0x02 })
    tester.send({ type: 'vehicleIdentificationRequest' })
    expect(await tester.next()).toEqual({ type: 'genericNack', code: 0x01 })
    tester.sendRaw(Uint8Array.of(0x02, 0x02, 0x80, 0x01, 0, 0, 0, 5))
    expect(await tester.next()).toEqual({ type: 'genericNack', code: 0x00 })
    await tester.closed
  })

  it('closes a socket without routing activation after the initial inactivity time, and an idle one after the general inactivity time', async () => {
    const { tcpPort } = await entity({ timers: { initialInactivityMs: 150, generalInactivityMs: 400 } })
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    // An alive check answered: the socket is open (and, the first time, the entity has it and its timer).
    const answers = async (tester: Awaited<ReturnType<typeof connectTester>>) => {
      tester.send({ type: 'aliveCheckRequest' })
      return (await tester.next())?.type === 'aliveCheckResponse'
    }
    const idle = await connectTester(tcpPort)
    expect(await answers(idle)).toBe(true)
    vi.advanceTimersByTime(149)
    // Traffic without routing activation does not keep the socket open.
    expect(await answers(idle)).toBe(true)
    vi.advanceTimersByTime(1)
    await idle.closed

    const tester = await connectTester(tcpPort)
    await tester.activate()
    vi.advanceTimersByTime(399)
    expect(await answers(tester)).toBe(true)
    vi.advanceTimersByTime(399)
    expect(await answers(tester)).toBe(true)
    vi.advanceTimersByTime(400)
    await tester.closed
  })
})
