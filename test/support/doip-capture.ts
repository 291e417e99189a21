import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { connect, createServer, type Socket } from 'node:net'
import { join } from 'node:path'
import { type DoipMessage, DoipStreamFramer } from '../../src/shared/doip'

/** Every TCP chunk of one DoIP session in order: 'out' from the tester, 'in' from the entity. */
export type Transcript = { direction: 'in' | 'out'; bytes: Uint8Array }[]

/** The DoIP messages one direction of a transcript carries so far, in order. */
export function messagesOf(transcript: Transcript, direction: 'in' | 'out'): DoipMessage[] {
  const framer = new DoipStreamFramer()
  return transcript.filter((c) => c.direction === direction).flatMap((c) => framer.push(c.bytes).flatMap((e) => (e.kind === 'message' ? [e.message] : [])))
}

/**
 * Wireshark's dissectors on a recorded session, with no capture rights: the chunks become a pcap
 * through text2pcap's dummy TCP headers (server port 13400 by default, which Wireshark knows as
 * DoIP; 443 for TLS), and tshark answers one row per packet with the fields asked for (several
 * occurrences joined by '/').
 */
export function dissect(transcript: Transcript, fields: readonly string[], dir: string, serverPort = 13400): Record<string, string>[] {
  const text = transcript
    .map(
      ({ direction, bytes }) =>
        `${direction === 'out' ? 'O' : 'I'} ${Array.from(bytes, (b, i) => `${i % 16 === 0 ? `${i === 0 ? '' : '\n'}${i.toString(16).padStart(6, '0')} ` : ''} ${b.toString(16).padStart(2, '0')}`).join('')}\n`
    )
    .join('')
  writeFileSync(join(dir, 'session.txt'), text)
  execFileSync('text2pcap', ['-q', '-D', '-T', `50000,${serverPort}`, join(dir, 'session.txt'), join(dir, 'session.pcap')])
  return execFileSync(
    'tshark',
    ['-r', join(dir, 'session.pcap'), '-T', 'fields', ...fields.flatMap((f) => ['-e', f]), '-E', 'separator=|', '-E', 'occurrence=a', '-E', 'aggregator=/'],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024
    }
  )
    .trim()
    .split('\n')
    .map((line) => Object.fromEntries(line.split('|').map((value, i) => [fields[i]!, value])))
}

/**
 * A TCP proxy in front of a DoIP entity that records both directions of the one connection it
 * carries, so a real client's session can be dissected without capturing on an interface.
 */
export async function startRecordingProxy(targetPort: number, targetHost = '127.0.0.1') {
  const transcript: Transcript = []
  const sockets: Socket[] = []
  const server = createServer((client) => {
    const upstream = connect(targetPort, targetHost)
    sockets.push(client, upstream)
    client.setNoDelay(true)
    upstream.setNoDelay(true)
    client.on('data', (chunk: Buffer) => {
      transcript.push({ direction: 'out', bytes: new Uint8Array(chunk) })
      upstream.write(chunk)
    })
    upstream.on('data', (chunk: Buffer) => {
      transcript.push({ direction: 'in', bytes: new Uint8Array(chunk) })
      client.write(chunk)
    })
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
    client.on('error', () => undefined)
    upstream.on('error', () => undefined)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return {
    port: (server.address() as { port: number }).port,
    transcript,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy())
        server.close(() => resolve())
      })
  }
}
