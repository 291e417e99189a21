import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { startBackend } from './server'
import type { KeyStoreOptions } from './keys/key-store'
import { tlsDir } from './tls/ca'
import { DAY_MS } from '../crypto/x509'
import { describeProfile, KEMS, SECURITY_PROFILES, securityProfile } from '../shared/security-profiles'

const parseProfile = (value: string) => {
  if (!/^\d+$/.test(value)) throw new Error(`--security-profile must be a number 0-${SECURITY_PROFILES.length - 1}, got "${value}"`)
  return securityProfile(Number(value))
}

const USAGE =
  'Usage: npm run backend -- --data-dir DIR [--keys-dir DIR] [--instance-group (one of several instances on --mqtt-url)] [--blob-dir DIR | --s3-endpoint URL --s3-bucket NAME [--s3-region R] [--s3-prefix P] (credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)] [--admin-token-env VAR] [--database postgres://…] [--port N] [--host ADDR] [--public-url https://HOST:PORT] [--mqtt-url mqtts://USER:PASS@HOST:PORT [--mqtt-ca FILE] [--mosquitto-dir DIR [--mosquitto-console-user NAME]... [--mosquitto-pid-file FILE]]] [--mqtt-port N] [--mqtt-ws-port N] [--tls-cert FILE --tls-key FILE [--tls-ca FILE]] [--security-profile 0-12] [--device-certificate-days N] [--enrolment-days N] [--key-store files|pkcs11 --pkcs11-module PATH --pkcs11-token LABEL (PIN in OTA_PKCS11_PIN)]'

/** A whole number of days within bounds, or an error naming the flag. */
const days = (flag: string, value: string | undefined, fallback: number, max: number) => {
  if (value === undefined) return fallback * DAY_MS
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) throw new Error(`${flag} must be a whole number of days, 1-${max}, got "${value}"`)
  return Number(value) * DAY_MS
}

async function main() {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      'keys-dir': { type: 'string' },
      'blob-dir': { type: 'string' },
      's3-endpoint': { type: 'string' },
      's3-bucket': { type: 'string' },
      's3-region': { type: 'string' },
      's3-prefix': { type: 'string' },
      'instance-group': { type: 'boolean', default: false },
      database: { type: 'string' },
      port: { type: 'string', default: '8443' },
      host: { type: 'string', default: '127.0.0.1' },
      'mqtt-url': { type: 'string' },
      'mqtt-ca': { type: 'string' },
      'mqtt-port': { type: 'string', default: '8883' },
      'mqtt-ws-port': { type: 'string', default: '8884' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-ca': { type: 'string' },
      'mosquitto-dir': { type: 'string' },
      'mosquitto-console-user': { type: 'string', multiple: true },
      'admin-token-env': { type: 'string' },
      'security-profile': { type: 'string' },
      'public-url': { type: 'string' },
      'mosquitto-pid-file': { type: 'string' },
      'device-certificate-days': { type: 'string' },
      'enrolment-days': { type: 'string' },
      'key-store': { type: 'string', default: 'files' },
      'pkcs11-module': { type: 'string' },
      'pkcs11-token': { type: 'string' },
      help: { type: 'boolean', default: false }
    }
  })
  if (values.help) return console.log(USAGE)
  if (!values['data-dir']) throw new Error('--data-dir is required')
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got "${values.port}"`)
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) throw new Error('--tls-cert and --tls-key go together')
  // From the environment, not the command line, which any user of the machine can read in ps.
  const tokenVar = values['admin-token-env']
  if (tokenVar !== undefined && !process.env[tokenVar]) throw new Error(`--admin-token-env ${tokenVar}: that environment variable is not set`)
  const profile = values['security-profile'] === undefined ? undefined : parseProfile(values['security-profile'])
  const deviceCertificateLifetimeMs = days('--device-certificate-days', values['device-certificate-days'], 30, 825)
  const enrolmentTtlMs = days('--enrolment-days', values['enrolment-days'], 7, 365)
  if (values['public-url'] !== undefined && !/^https:\/\/[^/?#]+$/.test(values['public-url']))
    throw new Error(`--public-url must be https://HOST[:PORT], got "${values['public-url']}"`)
  if (values['instance-group'] && !values['mqtt-url']) throw new Error('--instance-group shares an external broker among instances: it needs --mqtt-url')
  const pidFile = values['mosquitto-pid-file']
  const keyStore = keyStoreOf(values['key-store'], values['pkcs11-module'], values['pkcs11-token'])
  const dataDir = resolve(values['data-dir'])
  const keysDir = values['keys-dir'] === undefined ? dataDir : resolve(values['keys-dir'])
  const version = (JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string }).version
  const backend = await startBackend({
    dataDir,
    keysDir,
    blobDir: values['blob-dir'] === undefined ? undefined : resolve(values['blob-dir']),
    s3: s3Of(values),
    instanceGroup: values['instance-group'],
    database: values.database,
    port,
    host: values.host,
    tlsCertFile: values['tls-cert'],
    tlsKeyFile: values['tls-key'],
    tlsCaFile: values['tls-ca'],
    mosquittoDir: values['mosquitto-dir'],
    mosquittoConsoleUsers: values['mosquitto-console-user'],
    mqttUrl: values['mqtt-url'],
    mqttCaFile: values['mqtt-ca'],
    mqttPort: Number(values['mqtt-port']),
    mqttWsPort: Number(values['mqtt-ws-port']),
    securityProfile: profile?.id,
    publicUrl: values['public-url'],
    keyStore,
    deviceCertificateLifetimeMs,
    enrolmentTtlMs,
    // The broker re-reads its CRL on SIGHUP; the pid file is read each time, so a restarted broker is found.
    mosquittoReload: pidFile ? () => signalMosquitto(pidFile) : undefined,
    adminToken: tokenVar === undefined ? undefined : process.env[tokenVar],
    version
  })

  console.log(`OTA fleet backend ${version} (data: ${dataDir})`)
  if (backend.firstAdminToken) console.log(`Admin token (shown once, keep it safe): ${backend.firstAdminToken}`)
  console.log(`HTTPS API:  ${backend.url}   (OpenAPI at ${backend.url}/openapi.json)`)
  console.log(`MQTT:       ${backend.mqttUrl}${values['mqtt-url'] ? '' : '   (embedded broker; vehicles log in with their device certificate)'}`)
  if (backend.mqttWsUrl) console.log(`MQTT (wss): ${backend.mqttWsUrl}   (MQTT over WebSocket, for consoles behind HTTPS-only proxies)`)
  if (!values['tls-cert']) console.log(`CA:         ${join(tlsDir(keysDir, profile?.signature), 'ca.crt')}   (curl --cacert it)`)
  console.log(`Keys:       ${backend.keyStore}`)
  console.log(`Firmware:   ${backend.blobStore}`)
  console.log(`Device CA:  ${backend.url}/pki/device-ca.crt and its CRL ${backend.url}/pki/device-ca.crl (DER; certificates for ${deviceCertificateLifetimeMs / DAY_MS} days)`)
  console.log(
    profile
      ? `Security:   ${describeProfile(profile)}: TLS offers ${KEMS[profile.kem].group} only, with a ${profile.signature} certificate`
      : `Security:   every key exchange, X25519MLKEM768 first, with an ECDSA-P256 certificate (--security-profile N narrows it)`
  )
  const stop = async () => {
    await backend.close()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

/** --key-store and its PKCS#11 options; the PIN from the environment, never the command line (ps shows that to every user). */
function keyStoreOf(kind: string | undefined, module: string | undefined, token: string | undefined): KeyStoreOptions {
  if (kind === 'files') {
    if (module || token) throw new Error('--pkcs11-module and --pkcs11-token need --key-store pkcs11')
    return { kind: 'files' }
  }
  if (kind !== 'pkcs11') throw new Error(`--key-store must be files or pkcs11, got "${kind}"`)
  if (!module || !token) throw new Error('--key-store pkcs11 needs --pkcs11-module PATH and --pkcs11-token LABEL')
  const pin = process.env.OTA_PKCS11_PIN
  if (!pin) throw new Error('--key-store pkcs11: set the token user PIN in the environment variable OTA_PKCS11_PIN')
  return { kind: 'pkcs11', module, token, pin }
}

function signalMosquitto(pidFile: string) {
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGHUP')
  } catch (err) {
    console.error(`backend: could not make Mosquitto re-read the CRL (SIGHUP to the pid in ${pidFile}): ${(err as Error).message}`)
  }
}

main().catch((err: Error) => {
  console.error(`backend: ${err.message}`)
  console.error(USAGE)
  process.exit(2)
})

/** The object store's settings; its credentials come from the environment (the SDK's chain), never the command line. */
function s3Of(values: { 's3-endpoint'?: string; 's3-bucket'?: string; 's3-region'?: string; 's3-prefix'?: string; 'blob-dir'?: string }) {
  const { 's3-endpoint': endpoint, 's3-bucket': bucket } = values
  if (endpoint === undefined && bucket === undefined) return undefined
  if (!endpoint || !bucket) throw new Error('--s3-endpoint and --s3-bucket go together')
  if (values['blob-dir'] !== undefined) throw new Error('--blob-dir keeps firmware as files; with --s3-endpoint it is kept in the object store: give one of them')
  if (!/^https?:\/\/[^/?#]+\/?$/.test(endpoint)) throw new Error(`--s3-endpoint must be http(s)://HOST[:PORT], got "${endpoint}"`)
  return { endpoint, bucket, region: values['s3-region'], prefix: values['s3-prefix'] }
}
