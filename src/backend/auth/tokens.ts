import { createHash, randomBytes } from 'node:crypto'
import type { Role } from '../../shared/fleet/roles'
import type { Db } from '../db/db'

export type Principal = { kind: 'user'; name: string; role: Role } | { kind: 'device'; vin: string; model: string }

export const principalName = (p: Principal) => (p.kind === 'user' ? p.name : `vehicle:${p.vin}`)
export const principalRole = (p: Principal) => (p.kind === 'user' ? p.role : 'device')

// Long enough to be unguessable; the characters of a base64url token, which is what mint() makes.
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{32,256}$/

const hash = (token: string) => createHash('sha256').update(token).digest('hex')
const certKey = (fingerprint256: string) => `x509:${fingerprint256.replace(/:/g, '').toLowerCase()}`

/** Bearer tokens. Only their sha256 is stored; the token itself is shown once, when made. */
export function createTokens(db: Db) {
  const lookup = async (key: string): Promise<Principal | undefined> => {
    const row = await db.get<{ name: string; role: Role | null; vin: string | null; model: string | null }>(
      'SELECT t.name, t.role, t.vin, v.model FROM tokens t LEFT JOIN vehicles v ON v.vin = t.vin WHERE t.token_hash = ?',
      [key]
    )
    if (!row) return undefined
    if (row.vin) return row.model ? { kind: 'device', vin: row.vin, model: row.model } : undefined
    return row.role ? { kind: 'user', name: row.name, role: row.role } : undefined
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
    async createDevice(vin: string) {
      const token = mint()
      await db.run('INSERT INTO tokens (token_hash, name, role, vin, created_at) VALUES (?, ?, NULL, ?, ?)', [hash(token), `vehicle:${vin}`, vin, new Date().toISOString()])
      return token
    },
    resolve: (token: string) => lookup(hash(token)),
    /** A vehicle's client certificate, by its SHA-256 fingerprint, as the TLS layer verified it. */
    async registerCertificate(vin: string, fingerprint256: string) {
      await db.run('INSERT INTO tokens (token_hash, name, role, vin, created_at) VALUES (?, ?, NULL, ?, ?)', [
        certKey(fingerprint256),
        `vehicle:${vin}`,
        vin,
        new Date().toISOString()
      ])
    },
    resolveCertificate: (fingerprint256: string) => lookup(certKey(fingerprint256)),
    async count() {
      const row = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM tokens WHERE role IS NOT NULL')
      return Number(row?.n ?? 0)
    }
  }
}
export type Tokens = ReturnType<typeof createTokens>
