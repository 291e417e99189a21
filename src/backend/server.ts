import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createAuditLog } from './audit'
import { createTokens } from './auth/tokens'
import { createBlobStore } from './catalog/blob-store'
import { createFileBlobs } from './catalog/file-blobs'
import { createS3Blobs, type S3Options } from './catalog/s3-blobs'
import { createCatalog } from './catalog/catalog'
import { createKeyring } from './crypto/keyring'
import { createDataKeys } from './crypto/data-keys'
import { migrateBackend } from './db/migrate'
import { openSqlite } from './db/sqlite'
import { openPostgres } from './db/postgres'
import { createApp } from './http/app'
import type { Services } from './http/routes/services'
import { handlers } from './http/routes/table'
import { BACKEND_API } from '../shared/http/backend-api'
import { loadOrCreateTls, type ServerTls } from './tls/ca'
import { loadOrCreateDeviceCa } from './pki/device-ca'
import { openKeyStore, type KeyStoreOptions } from './keys/key-store'
import { auditedKeyStore, auditedKeyUse, recordingSignatures } from './keys/key-use'
import { createDeviceCertificates } from './pki/device-certificates'
import { createDeviceSessions } from './pki/sessions'
import { DAY_MS } from '../crypto/x509'
import { describeProfile, KEMS, securityProfile, type SecurityProfile } from '../shared/security-profiles'
import { requireGroup, runtimeGroups } from '../net/tls-groups'
import { createTufRepository } from './tuf/repository'
import { publishedTargets } from './tuf/targets-source'
import { createRegistry } from './registry/registry'
import { createJobService } from './jobs/job-service'
import { createPolicies } from './jobs/policies'
import { createModelApproval } from './jobs/model-approval'
import { createEvidence } from './evidence/evidence'
import { createReleaseSets } from './release-sets/release-sets'
import { createDeployments } from './release-sets/deployments'
import { createJobEngine, type JobEngine } from './jobs/engine'
import { createLease } from './jobs/lease'
import { hostname } from 'node:os'
import { startEmbeddedBroker } from './mqtt/embedded-broker'
import { connectFleetLink, type FleetLink } from './mqtt/fleet-link'
import { createDiagService } from './diag/diag-service'
import { createMosquittoFiles } from './mqtt/mosquitto-files'
import { BACKEND_GROUP } from './mqtt/authorization'
import { createHash } from 'node:crypto'
import { randomBytes } from 'node:crypto'

export interface BackendOptions {
  dataDir: string
  /**
   * Where the keys and certificate authorities live (server key, TLS and device CAs, TUF keys,
   * evidence key): the data directory unless set. Every instance of one deployment is given the
   * same one, with the same database, so they share one CA, one TUF key set and one server key.
   */
  keysDir?: string
  /** Where firmware images and deltas are kept as files: DATA/blobs unless set (or s3); instances share one. */
  blobDir?: string
  /** Keep them in an S3-compatible object store instead. */
  s3?: S3Options
  /**
   * With an external broker: this instance is one of several (docs/deployment.md). Vehicle
   * reports then come through a shared subscription, each to one instance, and no MQTT session is
   * kept for a dead instance to hold reports in.
   */
  instanceGroup?: boolean
  /** postgres://… to keep the metadata in PostgreSQL; SQLite in the data directory otherwise. */
  database?: string
  port?: number
  host?: string
  tlsCertFile?: string
  tlsKeyFile?: string
  maxUploadBytes?: number
  /** An external broker, mqtt(s)://user:password@host:port; without it an embedded Aedes starts. */
  mqttUrl?: string
  mqttCaFile?: string
  mqttPort?: number
  /** The embedded broker's MQTT-over-WebSocket port (wss://…/mqtt). */
  mqttWsPort?: number
  /** How often the job engine drives running jobs. */
  engineTickMs?: number
  /** When the engine sends an unanswered job notification again. */
  renotifyAfterMs?: number
  /** With an external Mosquitto: keep its password file and ACL in this folder. */
  mosquittoDir?: string
  /** Mosquitto accounts of consoles, which the ACL lets read rollups. */
  mosquittoConsoleUsers?: string[]
  /** Makes the external Mosquitto re-read its files (SIGHUP), after each new CRL. */
  mosquittoReload?: () => void
  tlsCaFile?: string
  /**
   * One of the 13 security profiles: the servers then offer only its key exchange and present a
   * certificate of its signature algorithm. Without one they offer every group, hybrid first, with
   * an ECDSA-P256 certificate.
   */
  securityProfile?: number
  version?: string
  /**
   * The admin's token for this run, chosen by whoever starts the backend (the console's Local
   * sandbox mints one at each start and keeps it in memory); it replaces the admin's earlier ones.
   */
  adminToken?: string
  /** Where the backend's keys live: files unless a PKCS#11 token is given (see docs/security.md). */
  keyStore?: KeyStoreOptions
  /** How long device certificates are valid: 30 days unless set. */
  deviceCertificateLifetimeMs?: number
  /** How long a vehicle's enrolment credential can be used: 7 days unless set. */
  enrolmentTtlMs?: number
  /** How long each CRL is valid (reissued at half that, and at every revocation): 1 day unless set. */
  crlValidityMs?: number
  /** The URL vehicles reach this backend at, for the CRL distribution point; https://HOST:PORT unless set. */
  publicUrl?: string
  log?: (line: string) => void
}

export interface RunningBackend {
  url: string
  port: number
  caCertPem: string
  mqttUrl: string
  /** The embedded broker's wss:// URL; absent with an external broker. */
  mqttWsUrl?: string
  fleetLink: FleetLink
  /** Where its keys are, for the start-up line. */
  keyStore: string
  /** Where its firmware is kept, for the start-up line. */
  blobStore: string
  /** Set only on the first start of a data directory; it is shown once. */
  firstAdminToken?: string
  services: Services
  close(): Promise<void>
}

/** Starts the fleet backend: storage, keys, TLS, and the HTTPS API. */
export async function startBackend(options: BackendOptions): Promise<RunningBackend> {
  const log = options.log ?? ((line: string) => console.error(`[backend] ${line}`))
  const keysDir = options.keysDir ?? options.dataDir
  const version = options.version ?? '0.0.0'
  const db = options.database ? openPostgres(options.database) : openSqlite(join(options.dataDir, 'backend.sqlite'))
  await migrateBackend(db)
  const audit = createAuditLog(db)
  const keyUse = auditedKeyUse(audit)
  const signatures = recordingSignatures(keyUse, log)
  const keyStore = auditedKeyStore(openKeyStore(options.keyStore ?? { kind: 'files' }), signatures)
  // A start refused by a key (a data directory of the other store, a CA of another key) lets go of the token.
  const closingOnError = async <T>(make: () => T | Promise<T>) => {
    try {
      return await make()
    } catch (err) {
      keyStore.close()
      throw err
    }
  }
  const keys = await closingOnError(() => createKeyring(keysDir, db, keyStore, keyUse))
  const dataKeys = createDataKeys(db, keys)
  const blobs = createBlobStore(await closingOnError(() => (options.s3 ? createS3Blobs(options.s3) : createFileBlobs(options.blobDir ?? join(options.dataDir, 'blobs')))))
  const tokens = createTokens(db)
  const catalog = createCatalog({ db, blobs, keys, maxUploadBytes: options.maxUploadBytes ?? 2 * 1024 ** 3 })
  const profile = options.securityProfile === undefined ? undefined : securityProfile(options.securityProfile)
  const deviceCa = await closingOnError(() => loadOrCreateDeviceCa(keysDir, profile?.signature ?? 'ECDSA-P256', keyStore))
  const tls: ServerTls = {
    clientCaPem: deviceCa.certPem,
    ...(await loadOrCreateTls(
      keysDir,
      options.tlsCertFile && options.tlsKeyFile ? { certFile: options.tlsCertFile, keyFile: options.tlsKeyFile, caFile: options.tlsCaFile } : undefined,
      undefined,
      profile?.signature,
      keyStore
    )),
    groups: profile ? requireGroup(KEMS[profile.kem].group, `security ${describeProfile(profile)}`) : runtimeGroups()
  }

  const tuf = createTufRepository({ db, keysDir, keyStore, targets: publishedTargets(db) })
  await tuf.init()
  if (options.adminToken !== undefined) await tokens.replaceUserTokens('admin', 'admin', options.adminToken)
  const firstAdminToken = (await tokens.count()) === 0 ? await tokens.createUser('admin', 'admin') : undefined
  const registry = createRegistry(db)
  const mosquitto = options.mosquittoDir && options.mqttUrl ? mosquittoAccounts(options.mosquittoDir, options.mqttUrl, options.mosquittoConsoleUsers) : undefined
  mosquitto?.writeDeviceCa(deviceCa.certPem)
  const jobs = createJobService({ db, catalog })
  const sessions = createDeviceSessions()
  const address: { url?: string } = {}
  const certificates = createDeviceCertificates({
    db,
    ca: deviceCa,
    tokens,
    audit,
    sessions,
    lifetimeMs: options.deviceCertificateLifetimeMs ?? 30 * DAY_MS,
    crlValidityMs: options.crlValidityMs ?? DAY_MS,
    crlUrl: () => `${options.publicUrl ?? address.url}/pki/device-ca.crl`,
    onCrl: mosquitto
      ? (der) => {
          mosquitto.writeCrl(der)
          options.mosquittoReload?.()
        }
      : undefined,
    askRenewal: async (vin, serial) => void (await wiring.link?.publish('certificateRenew', vin, { serial, at: new Date().toISOString() })),
    // An external broker's sessions are its own: the vehicle's client id is taken over to close it.
    onRevoked: options.mqttUrl ? async (holder) => void (holder.kind === 'vehicle' && (await wiring.link?.kick(holder.id))) : undefined,
    log
  })
  if (mosquitto) mosquitto.writeCrl(await certificates.crl.current())
  // The engine and the link need each other: reports move executions, the engine notifies vehicles.
  const wiring: { engine?: JobEngine; link?: FleetLink } = {}
  const releaseSets = createReleaseSets({ db, catalog, registry })
  const deployments = createDeployments({ db, sets: releaseSets, catalog, dataKeys, audit, send: (vin, pkg) => wiring.link!.publish('updatePackage', vin, pkg) })
  const diag = createDiagService({ registry, catalog, dataKeys, audit, publish: (name, vin, message) => wiring.link!.publish(name, vin, message), log })
  const services: Services = {
    db,
    catalog,
    tokens,
    keys,
    dataKeys,
    audit,
    signatures,
    tuf,
    registry,
    jobs,
    policies: createPolicies(db),
    evidence: createEvidence({ db, keyStore, keysDir }),
    releaseSets,
    deployments,
    modelApproval: createModelApproval(db),
    version,
    deviceCa,
    certificates,
    enrolmentTtlMs: options.enrolmentTtlMs ?? 7 * DAY_MS,
    diag,
    readiness: async () => {
      const failed = async (what: string, check: () => Promise<unknown>) =>
        check().then(
          () => undefined,
          (err: Error) => `${what}: ${err.message}`
        )
      return (
        (await failed('the database', () => db.get('SELECT 1 AS one'))) ??
        (wiring.link?.connected() === false ? 'the broker: not connected' : undefined) ??
        (await failed('the firmware store', () => blobs.reachable()))
      )
    }
  }
  const broker = options.mqttUrl
    ? undefined
    : await startEmbeddedBroker({
        tokens,
        certificates,
        sessions,
        backendUser: 'ota-backend',
        backendSecret: randomBytes(24).toString('hex'),
        tls,
        port: options.mqttPort,
        wsPort: options.mqttWsPort,
        host: options.host,
        log
      })
  const link = (wiring.link = await connectLink(options, profile, broker, tls.caCertPem, registry, log, {
    onProgress: async (vin, p) => wiring.engine?.report(vin, p),
    onPackageProgress: (vin, p) => deployments.onProgress(vin, p),
    diag
  }))
  const engine = createJobEngine({
    db,
    jobs,
    catalog,
    dataKeys,
    notify: (vin, message) => link.publish('updateNotify', vin, message),
    publishRollup: (rollup) => link.publish('jobRollup', '', rollup),
    renotifyAfterMs: options.renotifyAfterMs,
    lease: createLease(db, { name: 'jobs', holder: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`, ttlMs: Math.max(5_000, 10 * (options.engineTickMs ?? 500)) }),
    log
  })
  wiring.engine = engine
  engine.start(options.engineTickMs ?? 500)
  const app = createApp(BACKEND_API, handlers(services), { tls, tokens, certificates, sessions, audit, log })
  const host = options.host ?? '127.0.0.1'
  await app.listen({ port: options.port ?? 0, host })
  const port = (app.server.address() as { port: number }).port
  const url = (address.url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`)
  const stopSchedule = certificates.schedule()
  return {
    url,
    port,
    caCertPem: tls.caCertPem,
    mqttUrl: broker?.url ?? redact(options.mqttUrl!),
    mqttWsUrl: broker?.wsUrl,
    fleetLink: link,
    keyStore: keyStore.describe,
    blobStore: blobs.describe,
    firstAdminToken,
    services,
    async close() {
      stopSchedule()
      await app.close()
      await engine.stop()
      diag.close()
      await link.close()
      await broker?.close()
      await db.close()
      keyStore.close()
    }
  }
}

const mosquittoAccounts = (dir: string, mqttUrl: string, consoleUsers?: string[]) => {
  const url = new URL(mqttUrl)
  return createMosquittoFiles(dir, decodeURIComponent(url.username), decodeURIComponent(url.password), consoleUsers)
}

const redact = (url: string) => {
  const u = new URL(url)
  u.password = ''
  return u.toString()
}

function connectLink(
  options: BackendOptions,
  profile: SecurityProfile | undefined,
  broker: Awaited<ReturnType<typeof startEmbeddedBroker>> | undefined,
  caCertPem: string,
  registry: ReturnType<typeof createRegistry>,
  log: (line: string) => void,
  hooks: Pick<Parameters<typeof connectFleetLink>[0], 'onProgress' | 'onPackageProgress' | 'diag'>
) {
  // One persistent session per data directory, so messages queued while it was away are kept.
  const clientId = `ota-backend-${createHash('sha256').update(options.dataDir).digest('hex').slice(0, 12)}`
  if (broker) return connectFleetLink({ url: broker.url, clientId, username: 'ota-backend', password: broker.backendSecret, ca: caCertPem, registry, ...hooks, log })
  const url = new URL(options.mqttUrl!)
  const ca = options.mqttCaFile ? readFileSync(options.mqttCaFile, 'utf8') : undefined
  const username = decodeURIComponent(url.username)
  const password = decodeURIComponent(url.password)
  url.username = ''
  url.password = ''
  // One of several instances on this broker: each vehicle report reaches one of them. Alone, the
  // backend keeps plain subscriptions and its session, so reports wait for it while it restarts.
  const sharedGroup = options.instanceGroup ? BACKEND_GROUP : undefined
  if (!profile) return connectFleetLink({ url: url.toString(), clientId, username, password, ca, registry, ...hooks, sharedGroup, log })
  // The vehicles meet the external broker's TLS, not ours: the profile holds only if it speaks it.
  if (url.protocol !== 'mqtts:') throw new Error(`security ${describeProfile(profile)} needs TLS to the broker; --mqtt-url is ${url.protocol}//`)
  const required = { group: KEMS[profile.kem].group, signature: profile.signature }
  return connectFleetLink({ url: url.toString(), clientId, username, password, ca, registry, ...hooks, sharedGroup, log, required }).catch((err: Error) => {
    throw new Error(`security ${describeProfile(profile)}: the broker at ${url.host} ${err.message}`)
  })
}
