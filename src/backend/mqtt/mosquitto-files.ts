import { pbkdf2Sync, randomBytes } from 'node:crypto'
import { appendFileSync, chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { mosquittoAcl } from './authorization'

/** A Mosquitto 2 password-file line: PBKDF2-SHA512, 101 rounds, as mosquitto_passwd writes it. */
export const mosquittoPasswordLine = (user: string, password: string, salt = randomBytes(12)) =>
  `${user}:$7$101$${salt.toString('base64')}$${pbkdf2Sync(password, salt, 101, 64, 'sha512').toString('base64')}`

/**
 * For deployments on Mosquitto: the password file and ACL the broker reads. Each registered
 * vehicle is appended with its token (only its hash is written); the broker picks new entries up
 * on SIGHUP. Mosquitto reads the files as its own user, so they are 0644 in a 0755 folder, and
 * hold no secret in clear.
 */
export function createMosquittoFiles(dir: string, backendUser: string, backendPassword: string, consoleUsers: readonly string[] = []) {
  const passwd = join(dir, 'passwd')
  const acl = join(dir, 'acl')
  mkdirSync(dir, { recursive: true, mode: 0o755 })
  if (!existsSync(passwd)) writeFileSync(passwd, `${mosquittoPasswordLine(backendUser, backendPassword)}\n`, { mode: 0o644 })
  writeFileSync(acl, mosquittoAcl(backendUser, consoleUsers), { mode: 0o644 })
  chmodSync(acl, 0o644)
  return {
    passwd,
    acl,
    addVehicle: (vin: string, token: string) => appendFileSync(passwd, `${mosquittoPasswordLine(vin, token)}\n`),
    /** A console's account (its user token as password); the ACL lets it read rollups only. */
    addUser: (user: string, token: string) => appendFileSync(passwd, `${mosquittoPasswordLine(user, token)}\n`)
  }
}
export type MosquittoFiles = ReturnType<typeof createMosquittoFiles>
