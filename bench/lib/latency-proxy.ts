import { connect, createServer, type Socket } from 'node:net'

/**
 * A TCP relay that holds every chunk for half the round trip in each direction, as a WAN link
 * between a console and a backend in the cloud would. TLS passes through it untouched.
 */
export async function latencyProxy(target: { host: string; port: number }, rttMs: number) {
  const sockets = new Set<Socket>()
  const delayed = (from: Socket, to: Socket) =>
    from.on('data', (chunk) => {
      const at = setTimeout(() => to.writable && to.write(chunk), rttMs / 2)
      at.unref()
    })
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host)
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => (client.destroy(), upstream.destroy()))
    }
    delayed(client, upstream)
    delayed(upstream, client)
    // An end travels after the data that came before it.
    client.on('end', () => setTimeout(() => upstream.end(), rttMs / 2))
    upstream.on('end', () => setTimeout(() => client.end(), rttMs / 2))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve())))
  }
}
