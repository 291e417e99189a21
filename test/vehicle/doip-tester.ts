import { createSocket } from 'node:dgram'
import { connect, type Socket } from 'node:net'
import { decodeDoipMessage, type DoipMessage, DoipStreamFramer, encodeDoipMessage } from '../../src/shared/doip'

/** A minimal DoIP tester over a real TCP socket, for tests: send messages, await the ones that come back. */
export async function connectTester(port: number, options: { answerAliveChecks?: boolean } = {}) {
  const socket: Socket = connect(port, '127.0.0.1')
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('error', reject)
  })
  const framer = new DoipStreamFramer()
  const inbox: DoipMessage[] = []
  /** Every chunk on the wire, in order: 'out' from the tester, 'in' from the entity. */
  const transcript: { direction: 'in' | 'out'; bytes: Uint8Array }[] = []
  const write = (bytes: Uint8Array) => {
    transcript.push({ direction: 'out', bytes })
    socket.write(bytes)
  }
  let waiter: (() => void) | undefined
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  let isClosed = false
  void closed.then(() => {
    isClosed = true
    waiter?.()
  })
  socket.on('error', () => undefined)
  socket.on('data', (chunk: Buffer) => {
    transcript.push({ direction: 'in', bytes: new Uint8Array(chunk) })
    for (const event of framer.push(chunk)) {
      if (event.kind !== 'message') throw event.error
      if (event.message.type === 'aliveCheckRequest' && options.answerAliveChecks) tester.send({ type: 'aliveCheckResponse', sourceAddress: 0x0e80 })
      else inbox.push(event.message)
    }
    waiter?.()
  })
  const tester = {
    send: (message: DoipMessage, version?: number) => write(encodeDoipMessage(message, version)),
    sendRaw: write,
    transcript,
    /** The next message, or undefined when the entity closed the socket or nothing came in time. */
    async next(timeoutMs = 2000): Promise<DoipMessage | undefined> {
      const deadline = Date.now() + timeoutMs
      while (inbox.length === 0 && !isClosed && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          waiter = resolve
          setTimeout(resolve, deadline - Date.now())
        })
      }
      return inbox.shift()
    },
    /** Routing activation with a tester address; answers the response code. */
    async activate(sourceAddress = 0x0e80) {
      tester.send({ type: 'routingActivationRequest', sourceAddress, activationType: 0 })
      const answer = await tester.next()
      return answer?.type === 'routingActivationResponse' ? answer.responseCode : undefined
    },
    closed,
    isClosed: () => isClosed,
    close: () => socket.destroy()
  }
  return tester
}

/** One UDP request; the answers that arrive within `waitMs` (it stops at the first). */
export async function udpAsk(port: number, bytes: Uint8Array, waitMs = 300) {
  const socket = createSocket('udp4')
  const answers: ReturnType<typeof decodeDoipMessage>[] = []
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, waitMs)
    socket.on('message', (message) => {
      answers.push(decodeDoipMessage(new Uint8Array(message)))
      clearTimeout(timer)
      resolve()
    })
    socket.send(bytes, port, '127.0.0.1')
  })
  socket.close()
  return answers
}

/**
 * True when the entity leaves `bytes` unanswered: an entity status request follows it from the same
 * socket, and its response comes first (loopback keeps datagrams in order, the entity answers in order).
 */
export async function udpUnanswered(port: number, bytes: Uint8Array): Promise<boolean> {
  const socket = createSocket('udp4')
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
  const first = await new Promise<DoipMessage>((resolve) => {
    socket.once('message', (message) => resolve(decodeDoipMessage(new Uint8Array(message)).message))
    socket.send(bytes, port, '127.0.0.1')
    socket.send(encodeDoipMessage({ type: 'entityStatusRequest' }), port, '127.0.0.1')
  })
  socket.close()
  return first.type === 'entityStatusResponse'
}
