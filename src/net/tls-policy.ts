import { X509Certificate } from 'node:crypto'
import { checkServerIdentity, type PeerCertificate } from 'node:tls'

/** The error a connection fails with when the server is weaker than what the client requires. */
export const tooWeak = (message: string) => Object.assign(new Error(message), { code: 'ERR_TLS_TOO_WEAK' })

/** Node's certificate check, then `judge` on the certificate: a returned error refuses the handshake before anything is sent. */
export const checkingServerCertificate =
  (judge: (certificate: X509Certificate) => Error | undefined) =>
  (host: string, cert: PeerCertificate): Error | undefined =>
    checkServerIdentity(host, cert) ?? judge(new X509Certificate(cert.raw))

// What a server answers when the client offered no group (or signature) it will take.
const NO_SHARED_PARAMETERS = /handshake[ _]failure|no[ _]suitable|no[ _]shared|insufficient[ _]security/i

/** Whether a failed handshake is the server refusing what the client offered, rather than anything else. */
export const refusedOurOffer = (message: string) => NO_SHARED_PARAMETERS.test(message)
