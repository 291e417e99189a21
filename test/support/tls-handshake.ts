import { connect, type TLSSocket } from 'node:tls'

export interface Handshake {
  /** The key-exchange group, in OpenSSL's name ('X25519MLKEM768', 'prime256v1' …). */
  group: string | undefined
  /** The server certificate's key type, in Node's name ('ec', 'ml-dsa-65' …). */
  keyType: string | undefined
}

/** One TLS handshake offering these groups, and nothing sent over it: what the server chose and presented. */
export function handshake(port: number, ca: string, groups: string): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket: TLSSocket = connect({ host: '127.0.0.1', port, ca, ecdhCurve: groups, servername: 'localhost' }, () => {
      const info = socket.getEphemeralKeyInfo()
      const keyType = socket.getPeerX509Certificate()?.publicKey.asymmetricKeyType
      socket.destroy()
      resolve({ group: info && 'name' in info ? info.name : undefined, keyType })
    })
    socket.once('error', reject)
  })
}
