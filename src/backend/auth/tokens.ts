import { createHash, randomBytes } from 'node:crypto'
import type { Role } from '../../shared/fleet/roles'
import type { Db } from '../db/db'

export type Principal =
  | { kind: 'user'; name: string; role: Role }
  | { kind: 'device'; vin: string; model: string }

export const principalName = (p: Principal) => (p.kind === 'user' ? p.name : `vehicle:${p.vin}`)
export const principalRole = (p: Principal) => (p.kind === 'user' ? p.role : 'device')

const hash = (token: string) => createHash('sha256').update(token).digest('hex')

/** Bearer tokens. Only their sha256 is stored; the token itself is shown once, when made. */
export function createTokens(db: Db) {
  const mint = () => `ota_${randomBytes(32).toString('base64url')}`
  return {
    async createUser(name: string, role: Role) {
      const token = mint()
      await db.run('INSERT INTO tokens (token_hash, name, role, vin, created_at) VALUES (?, ?, ?, NULL, ?)', [hash(token), name, role, new Date().toISOString()])
      return token
    },
    async createDevice(vin: string) {
      const token = mint()
      await db.run('INSERT INTO tokens (token_hash, name, role, vin, created_at) VALUES (?, ?, NULL, ?, ?)', [hash(token), `vehicle:${vin}`, vin, new Date().toISOString()])
      return token
    },
    async resolve(token: string): Promise<Principal | undefined> {
      const row = await db.get<{ name: string; role: Role | null; vin: string | null; model: string | null }>(
        'SELECT t.name, t.role, t.vin, v.model FROM tokens t LEFT JOIN vehicles v ON v.vin = t.vin WHERE t.token_hash = ?',
        [hash(token)]
      )
      if (!row) return undefined
      if (row.vin) return row.model ? { kind: 'device', vin: row.vin, model: row.model } : undefined
      return row.role ? { kind: 'user', name: row.name, role: row.role } : undefined
    },
    async count() {
      const row = await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM tokens WHERE role IS NOT NULL')
      return Number(row?.n ?? 0)
    }
  }
}
export type Tokens = ReturnType<typeof createTokens>
