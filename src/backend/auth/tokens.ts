import { createHash, randomBytes } from 'node:crypto'
import type { Role } from '../../shared/fleet/roles'
import type { Db } from '../db/db'

export type Principal = { kind: 'user'; name: string; role: Role } | { kind: 'device'; vin: string; model: string }

export const principalName = (p: Principal) => (p.kind === 'user' ? p.name : `vehicle:${p.vin}`)
export const principalRole = (p: Principal) => (p.kind === 'user' ? p.role : 'device')

// Long enough to be unguessable; the characters of a base64url token, which is what mint() makes.
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{32,256}$/

const hash = (token: string) => createHash('sha256').update(token).digest('hex')

/** Bearer tokens. Only their sha256 is stored; the token itself is shown once, when made. */
export function createTokens(db: Db) {
  // Only people's and tools' tokens log in; a vehicle's token is its enrolment credential alone.
  const lookup = async (key: string): Promise<Principal | undefined> => {
    const row = await db.get<{ name: string; role: Role | null }>('SELECT name, role FROM tokens WHERE token_hash = ? AND vin IS NULL', [key])
    return row?.role ? { kind: 'user', name: row.name, role: row.role } : undefined
  }
  const mint = () => `ota_${randomBytes(32).toString('base64url')}`
  return {
    async createUser(name: string, role: Role) {
      const token = mint()
      await db.run('INSERT INTO tokens (token_hash, name, role, vin, created_at) VALUES (?, ?, ?, NULL, ?)', [hash(token), name, role, new Date().toISOString()])
      return token
    },
    /** Gives a user exactly this one token, whatever it had before. */
    async replaceUserTokens(name: string, role: Role, token: string) {
      if (!TOKEN_FORMAT.test(token)) throw new Error(`the admin token must be 32 or more letters, digits, "_" or "-" (got ${token.length} characters)`)
      await db.transaction(async (tx) => {
        await tx.run('DELETE FROM tokens WHERE name = ? AND role IS NOT NULL', [name])
        await tx.run('INSERT INTO tokens (token_hash, name, role, vin, created_at) VALUES (?, ?, ?, NULL, ?)', [hash(token), name, role, new Date().toISOString()])
      })
    },
    /**
     * A vehicle's one-time enrolment credential, valid for ttlMs: it replaces any the vehicle had
     * not used yet. It logs nothing in; it buys one certificate (consumeEnrolment).
     */
    async createEnrolment(vin: string, ttlMs: number) {
      const credential = mint()
      const expiresAt = new Date(Date.now() + ttlMs).toISOString()
      await db.transaction(async (tx) => {
        await tx.run('DELETE FROM tokens WHERE vin = ? AND used_at IS NULL', [vin])
        await tx.run('INSERT INTO tokens (token_hash, name, role, vin, created_at, expires_at) VALUES (?, ?, NULL, ?, ?, ?)', [
          hash(credential),
          `vehicle:${vin}`,
          vin,
          new Date().toISOString(),
          expiresAt
        ])
      })
      return { credential, expiresAt }
    },
    /** Uses up an enrolment credential of this vehicle, or says why it cannot be used. */
    async consumeEnrolment(vin: string, credential: string): Promise<'ok' | string> {
      return db.transaction(async (tx) => {
        const row = await tx.get<{ vin: string | null; expires_at: string | null; used_at: string | null }>('SELECT vin, expires_at, used_at FROM tokens WHERE token_hash = ?', [
          hash(credential)
        ])
        if (!row || row.vin !== vin) return `the enrolment credential is not one issued for ${vin}`
        if (row.used_at) return `the enrolment credential was used at ${row.used_at}; ask an operator for a new one`
        if (row.expires_at && row.expires_at <= new Date().toISOString()) return `the enrolment credential expired at ${row.expires_at}; ask an operator for a new one`
        await tx.run('UPDATE tokens SET used_at = ? WHERE token_hash = ?', [new Date().toISOString(), hash(credential)])
        return 'ok'
      })
    },
    resolve: (token: string) => lookup(hash(token)),
    /** Whether a token is a vehicle's enrolment credential, to tell whoever tries to log in with one. */
    async isEnrolmentCredential(token: string) {
      return (await db.get('SELECT 1 AS one FROM tokens WHERE token_hash = ? AND vin IS NOT NULL', [hash(token)])) !== undefined
    },
    async count() {
      const row = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM tokens WHERE role IS NOT NULL')
      return Number(row?.n ?? 0)
    }
  }
}
export type Tokens = ReturnType<typeof createTokens>
