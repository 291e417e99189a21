import { webcrypto } from 'node:crypto'
import type { TLSSocket } from 'node:tls'
import type { CertificateHolderKind, CertificateQuery, IssuedCertificate, RevocationReason, RevokeCertificate } from '../../shared/fleet/certificates'
import type { AuditLog } from '../audit'
import { principalName, principalRole, type Principal, type Tokens } from '../auth/tokens'
import type { Db } from '../db/db'
import { HttpError, notFound } from '../http/errors'
import { CsrRefused, readCsr, type DeviceCa } from './device-ca'
import { listCertificates, summarize } from './certificate-queries'
import { view, type CertificateRow } from './certificate-row'
import type { DeviceSessions } from './sessions'
import { randomSerial } from '../../crypto/x509'

export interface DeviceCertificatesOptions {
  db: Db
  ca: DeviceCa
  tokens: Tokens
  audit: AuditLog
  sessions: DeviceSessions
  /** How long a device certificate is valid (30 days by default). */
  lifetimeMs: number
  /** How long each CRL is valid; it is reissued at half of that, and at every revocation. */
  crlValidityMs: number
  /** The CRL's public URL, written into every certificate's CRL distribution point. */
  crlUrl: () => string
  /** Told of every new CRL (to hand it to an external broker). */
  onCrl?: (der: Buffer) => void
  /** Tells a vehicle to renew its certificate now (over MQTT). */
  askRenewal?: (vin: string, serial: string) => Promise<void>
  /** Told of every revocation, to close sessions this process does not hold (an external broker's). */
  onRevoked?: (holder: { kind: CertificateHolderKind; id: string }, serial: string) => Promise<void>
  log: (line: string) => void
}

/** A vehicle the device certificate on a connection names, or why the connection is refused. */
export type Identified = { principal: Extract<Principal, { kind: 'device' }>; serial: string; notAfter: number } | { refused: string }

// Clocks of vehicles and backend disagree a little; a fresh certificate is valid from a few minutes back.
const BACKDATE_MS = 5 * 60 * 1000
// A vehicle retrying with a refused certificate is noted once a minute, not at every attempt.
const REFUSAL_NOTE_MS = 60 * 1000

/**
 * Device certificates: enrolment by CSR with a one-time credential, renewal over mTLS,
 * revocation with an RFC 5280 reason (closing the certificate's open sessions), the CRL, and the
 * check of the certificate on every MQTT and HTTPS connection.
 */
export function createDeviceCertificates(o: DeviceCertificatesOptions) {
  const { db, ca, audit } = o
  const refusalNoted = new Map<string, number>()
  const identified = new WeakMap<TLSSocket, Promise<Identified | undefined>>()
  const predecessorRetired = new Set<string>()

  /** The proven public key of a request for a holder; a refused request answers 400, naming what is wrong. */
  const requestKey = (csrPem: string, expected: Parameters<typeof readCsr>[1]) =>
    readCsr(csrPem, expected).catch((err: Error) => {
      throw err instanceof CsrRefused ? new HttpError(400, 'bad-request', err.message) : err
    })
  const vehicleKey = (csrPem: string, vin: string) =>
    requestKey(csrPem, { algorithm: ca.signature, cn: vin, keyMustBe: `this backend's device CA issues ${ca.signature} certificates` })

  async function issueFor(holder: { kind: CertificateHolderKind; id: string }, publicKey: webcrypto.CryptoKey, replaces: string | null): Promise<IssuedCertificate> {
    const now = Date.now()
    const serial = randomSerial()
    const notBefore = new Date(now - BACKDATE_MS)
    const notAfter = new Date(now + o.lifetimeMs)
    const certificatePem = await ca.issue({ publicKey, holder, serial, notBefore, notAfter, crlUrl: o.crlUrl() })
    await db.run('INSERT INTO device_certificates (serial, holder_kind, holder, algorithm, not_before, not_after, issued_at, replaces) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      serial,
      holder.kind,
      holder.id,
      ca.signature,
      notBefore.toISOString(),
      notAfter.toISOString(),
      new Date(now).toISOString(),
      replaces
    ])
    return { serial, certificatePem, notAfter: notAfter.toISOString() }
  }

  const row = (serial: string) => db.get<CertificateRow>('SELECT * FROM device_certificates WHERE serial = ?', [serial])
  /** A workshop's newest certificate that its own renewal has not replaced (it may be revoked or expired). */
  const workshopCertificate = (id: string) =>
    db.get<CertificateRow>(
      "SELECT * FROM device_certificates WHERE holder_kind = 'workshop' AND holder = ? AND (revoked_at IS NULL OR revocation_reason <> 'superseded') ORDER BY issued_at DESC LIMIT 1",
      [id]
    )

  async function refuse(socket: TLSSocket, serial: string, reason: string): Promise<Identified> {
    const cn = socket.getPeerCertificate().subject?.CN
    const vin = typeof cn === 'string' ? cn : undefined
    const last = refusalNoted.get(serial) ?? 0
    if (vin && Date.now() - last > REFUSAL_NOTE_MS) {
      refusalNoted.set(serial, Date.now())
      o.log(`device certificate refused (${vin}): ${reason}`)
      await db.run('UPDATE vehicles SET auth_refusal = ?, auth_refused_at = ? WHERE vin = ?', [reason, new Date().toISOString(), vin])
    }
    return { refused: reason }
  }

  async function identifyOnce(socket: TLSSocket): Promise<Identified | undefined> {
    const peer = socket.getPeerCertificate()
    if (!peer?.raw) return undefined
    const serial = peer.serialNumber.toLowerCase()
    if (!socket.authorized) {
      const code = String(socket.authorizationError)
      if (code === 'CERT_HAS_EXPIRED') return refuse(socket, serial, `the device certificate ${serial} expired at ${new Date(peer.valid_to).toISOString()}`)
      if (code === 'CERT_NOT_YET_VALID') return refuse(socket, serial, `the device certificate ${serial} is not valid before ${new Date(peer.valid_from).toISOString()}`)
      return refuse(socket, serial, `the certificate ${serial} is not one of this backend's device CA (${code})`)
    }
    // The certificate and its vehicle's model in one read: this runs at every new connection.
    const cert = await db.get<CertificateRow & { model: string | null }>(
      "SELECT c.*, v.model FROM device_certificates c LEFT JOIN vehicles v ON c.holder_kind = 'vehicle' AND v.vin = c.holder WHERE c.serial = ?",
      [serial]
    )
    if (!cert) return refuse(socket, serial, `the device certificate ${serial} is unknown to this backend`)
    if (cert.revoked_at) return refuse(socket, serial, `the device certificate ${serial} was revoked at ${cert.revoked_at} (${cert.revocation_reason})`)
    if (cert.holder_kind !== 'vehicle') return refuse(socket, serial, `the certificate ${serial} is a ${cert.holder_kind}'s, not a vehicle's`)
    if (!cert.model) return refuse(socket, serial, `the vehicle ${cert.holder} of certificate ${serial} is not registered`)
    // A renewed certificate in use proves the vehicle holds its new key: the one it replaced is
    // retired, once (this process remembers it, so later connections write nothing).
    if (cert.replaces && !predecessorRetired.has(serial)) {
      await retire(cert.replaces)
      predecessorRetired.add(serial)
    }
    return { principal: { kind: 'device', vin: cert.holder, model: cert.model }, serial, notAfter: Date.parse(cert.not_after) }
  }

  async function retire(serial: string) {
    const { changes } = await db.run(
      "UPDATE device_certificates SET revoked_at = ?, revocation_reason = 'superseded', revoked_by = 'renewal' WHERE serial = ? AND revoked_at IS NULL",
      [new Date().toISOString(), serial]
    )
    if (changes) await crl.reissue()
  }

  const crl = createCrl(o)

  return {
    crl,
    /** The vehicle on a TLS connection, once per connection; undefined when it presented no certificate. */
    async identify(socket: TLSSocket): Promise<Identified | undefined> {
      let known = identified.get(socket)
      if (!known) identified.set(socket, (known = identifyOnce(socket)))
      const id = await known
      // A connection kept alive past its certificate's end is refused from then on.
      if (id && 'notAfter' in id && Date.now() >= id.notAfter) return { refused: `the device certificate ${id.serial} expired at ${new Date(id.notAfter).toISOString()}` }
      return id
    },

    /** First certificate: the CSR and the vehicle's one-time enrolment credential. */
    async enrol(body: { vin: string; credential: string; csrPem: string }) {
      const actor = { actor: `vehicle:${body.vin}`, role: 'device', action: 'certificate.enrol', object: body.vin }
      try {
        // The request is checked before the credential is spent, so a bad CSR does not burn it.
        const publicKey = await vehicleKey(body.csrPem, body.vin)
        const spent = await o.tokens.consumeEnrolment(body.vin, body.credential)
        if (spent !== 'ok') throw new HttpError(401, 'unauthorized', spent)
        const issued = await issueFor({ kind: 'vehicle', id: body.vin }, publicKey, null)
        await audit.record({ ...actor, outcome: 'ok', detail: `serial ${issued.serial}, until ${issued.notAfter}` })
        return issued
      } catch (err) {
        await audit.record({ ...actor, outcome: 'failed', detail: (err as Error).message })
        throw err
      }
    },

    /** A new certificate for a new key, asked for over mTLS with the current one, before it expires. */
    async renew(principal: Extract<Principal, { kind: 'device' }>, currentSerial: string, csrPem: string) {
      const issued = await issueFor({ kind: 'vehicle', id: principal.vin }, await vehicleKey(csrPem, principal.vin), currentSerial)
      await audit.record({
        actor: principalName(principal),
        role: 'device',
        action: 'certificate.renew',
        object: principal.vin,
        outcome: 'ok',
        detail: `serial ${issued.serial} replaces ${currentSerial}, until ${issued.notAfter}`
      })
      return issued
    },

    /**
     * A workshop console's certificate for the ed25519 key it signs results files with, issued at
     * each registration: registering again renews it, and the one before is retired at once (the
     * console proved it holds the same key).
     */
    async enrolWorkshop(workshopId: string, name: string, csrPem: string, signingKeyHex: string, by: Principal) {
      const publicKey = await requestKey(csrPem, { algorithm: 'ED25519', cn: name, keyMustBe: "a workshop's request is for its ed25519 signing key" })
      if (Buffer.from(await webcrypto.subtle.exportKey('raw', publicKey)).toString('hex') !== signingKeyHex) {
        throw new HttpError(400, 'bad-request', "the certificate request is for another key than the workshop's signing key")
      }
      const current = await workshopCertificate(workshopId)
      // A revoked key stays revoked: the console comes back with new keys, as a new workshop.
      if (current?.revoked_at) {
        throw new HttpError(
          409,
          'conflict',
          `the certificate of workshop ${workshopId} was revoked at ${current.revoked_at} (${current.revocation_reason}): its keys may not register again; a console with new keys registers as a new workshop`
        )
      }
      const issued = await issueFor({ kind: 'workshop', id: workshopId }, publicKey, current?.serial ?? null)
      if (current) await retire(current.serial)
      await audit.record({
        actor: principalName(by),
        role: principalRole(by),
        action: 'certificate.enrol',
        object: `workshop:${workshopId}`,
        outcome: 'ok',
        detail: `serial ${issued.serial}, until ${issued.notAfter}`
      })
      return issued
    },

    /** A workshop's current certificate, as the API shows it. */
    async ofWorkshop(workshopId: string) {
      const cert = await workshopCertificate(workshopId)
      return cert ? view(cert) : null
    },

    /** Why a workshop may neither get bundles nor hand results in now; undefined when it may. */
    async workshopRefusal(workshopId: string): Promise<string | undefined> {
      const cert = await workshopCertificate(workshopId)
      if (!cert) return `workshop ${workshopId} has no certificate: register the workshop console again (otactl bundle register)`
      if (cert.revoked_at) return `the certificate of workshop ${workshopId} was revoked at ${cert.revoked_at} (${cert.revocation_reason})`
      if (Date.parse(cert.not_after) <= Date.now()) return `the certificate of workshop ${workshopId} expired at ${cert.not_after}: register the workshop console again to renew it`
    },

    /** Revokes a certificate: on the CRL at once, its open sessions closed, new ones refused. */
    async revoke(serial: string, body: RevokeCertificate, by: Principal) {
      const cert = await row(serial)
      if (!cert) throw notFound(`device certificate ${serial}`)
      if (cert.revoked_at) throw new HttpError(409, 'conflict', `device certificate ${serial} was revoked at ${cert.revoked_at} (${cert.revocation_reason})`)
      await db.run('UPDATE device_certificates SET revoked_at = ?, revocation_reason = ?, revoked_by = ?, revocation_comment = ? WHERE serial = ? AND revoked_at IS NULL', [
        new Date().toISOString(),
        body.reason,
        principalName(by),
        body.comment ?? null,
        serial
      ])
      await crl.reissue()
      const closed = o.sessions.close(serial)
      await o
        .onRevoked?.({ kind: cert.holder_kind, id: cert.holder }, serial)
        .catch((err: Error) => o.log(`revoking ${serial}: closing its sessions on the broker failed: ${err.message}`))
      await audit.record({
        actor: principalName(by),
        role: principalRole(by),
        action: 'certificate.revoke',
        object: `${cert.holder_kind}:${cert.holder}`,
        outcome: 'ok',
        detail: `serial ${serial}, reason ${body.reason}${body.comment ? `: ${body.comment}` : ''}; ${closed} open session(s) closed`
      })
      return view((await row(serial))!)
    },

    /**
     * Every 10 s: closes sessions whose certificate has expired, and reissues the CRL when half
     * its validity has passed. Answers the stop.
     */
    schedule(everyMs = 10_000) {
      const timer = setInterval(() => {
        o.sessions.closeExpired()
        crl.current().catch((err: Error) => o.log(`device CRL: ${err.message}`))
      }, everyMs)
      timer.unref()
      return () => clearInterval(timer)
    },

    /** Asks the vehicle to renew now (a suspected key, a changed profile): it gets a new key and certificate, the old one is retired. */
    async requestRenewal(serial: string, by: Principal) {
      const cert = await row(serial)
      if (!cert) throw notFound(`device certificate ${serial}`)
      if (cert.holder_kind !== 'vehicle') throw new HttpError(409, 'conflict', `device certificate ${serial} is a ${cert.holder_kind}'s; only vehicles renew on request`)
      if (cert.revoked_at) throw new HttpError(409, 'conflict', `device certificate ${serial} was revoked at ${cert.revoked_at}; the vehicle needs a new enrolment credential`)
      if (Date.parse(cert.not_after) <= Date.now())
        throw new HttpError(409, 'conflict', `device certificate ${serial} expired at ${cert.not_after}; the vehicle needs a new enrolment credential`)
      const at = new Date().toISOString()
      await db.run('UPDATE device_certificates SET renewal_requested_at = ? WHERE serial = ?', [at, serial])
      await o.askRenewal?.(cert.holder, serial)
      await audit.record({
        actor: principalName(by),
        role: principalRole(by),
        action: 'certificate.renew-request',
        object: `vehicle:${cert.holder}`,
        outcome: 'ok',
        detail: `serial ${serial}`
      })
      return view((await row(serial))!)
    },

    list: (q: CertificateQuery) => listCertificates(db, q),
    summary: (q: { expiringDays: number; weeks: number }) => summarize(db, q),

    async get(serial: string) {
      const cert = await row(serial)
      if (!cert) throw notFound(`device certificate ${serial}`)
      return view(cert)
    },

    /** A holder's certificates, newest first. */
    async history(kind: CertificateHolderKind, id: string) {
      return (await db.all<CertificateRow>('SELECT * FROM device_certificates WHERE holder_kind = ? AND holder = ? ORDER BY issued_at DESC, serial', [kind, id])).map(view)
    }
  }
}
export type DeviceCertificates = ReturnType<typeof createDeviceCertificates>

/** The device CA's CRL: kept in the database (one per CA), numbered, reissued when due or on demand. */
function createCrl(o: DeviceCertificatesOptions) {
  const { db, ca } = o
  // One signing at a time, each reading the revocations as they are when it starts.
  let queue: Promise<unknown> = Promise.resolve()
  async function reissue(): Promise<Buffer> {
    const now = new Date()
    const entries = await db.all<{ serial: string; revoked_at: string; revocation_reason: RevocationReason }>(
      // An expired certificate fails on its own; RFC 5280 lets the CRL drop it.
      'SELECT serial, revoked_at, revocation_reason FROM device_certificates WHERE algorithm = ? AND revoked_at IS NOT NULL AND not_after > ? ORDER BY revoked_at',
      [ca.signature, now.toISOString()]
    )
    return db
      .transaction(async (tx) => {
        const last = await tx.get<{ number: number }>('SELECT number FROM device_crl WHERE ca = ?', [ca.signature])
        const number = Number(last?.number ?? 0) + 1
        const nextUpdate = new Date(now.getTime() + o.crlValidityMs)
        const der = await ca.signCrl({
          number,
          thisUpdate: now,
          nextUpdate,
          entries: entries.map((e) => ({ serial: e.serial, at: new Date(e.revoked_at), reason: e.revocation_reason }))
        })
        await tx.run(
          last
            ? 'UPDATE device_crl SET number = ?, this_update = ?, next_update = ?, der = ? WHERE ca = ?'
            : 'INSERT INTO device_crl (number, this_update, next_update, der, ca) VALUES (?, ?, ?, ?, ?)',
          [number, now.toISOString(), nextUpdate.toISOString(), der.toString('base64'), ca.signature]
        )
        return der
      })
      .then((der) => (o.onCrl?.(der), der))
  }
  return {
    /** Reissues the CRL now, after any signing already under way. */
    reissue() {
      const run = queue.then(reissue)
      queue = run.catch(() => undefined)
      return run
    },
    /** The current CRL (DER), reissued first when half its validity has passed. */
    async current(): Promise<Buffer> {
      const stored = await db.get<{ der: string; this_update: string; next_update: string }>('SELECT der, this_update, next_update FROM device_crl WHERE ca = ?', [ca.signature])
      const due = !stored || Date.now() >= (Date.parse(stored.this_update) + Date.parse(stored.next_update)) / 2
      return due ? this.reissue() : Buffer.from(stored.der, 'base64')
    }
  }
}
