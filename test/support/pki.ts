import { execFileSync } from 'node:child_process'
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface TestPki {
  caCertPem: string
  caCertFile: string
  serverCertFile: string
  serverKeyFile: string
  serverCertPem: string
  serverKeyPem: string
}

/** A throwaway CA and a server certificate for 127.0.0.1 and localhost, made with openssl. */
export function makePki(dir: string): TestPki {
  const f = (name: string) => join(dir, name)
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' })
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=OTA Test CA', '-keyout', f('ca.key'), '-out', f('ca.crt'))
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=localhost', '-keyout', f('server.key'), '-out', f('server.csr'))
  writeFileSync(f('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n')
  openssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f('server.ext'), '-out', f('server.crt'))
  for (const name of ['ca.crt', 'server.crt', 'server.key']) chmodSync(f(name), 0o644)
  return {
    caCertPem: readFileSync(f('ca.crt'), 'utf8'),
    caCertFile: f('ca.crt'),
    serverCertFile: f('server.crt'),
    serverKeyFile: f('server.key'),
    serverCertPem: readFileSync(f('server.crt'), 'utf8'),
    serverKeyPem: readFileSync(f('server.key'), 'utf8')
  }
}
