import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { freePort } from './free-port'
import { tempDir } from './temp-dir'

/** Debian keeps PostgreSQL's server programs out of PATH, under /usr/lib/postgresql/N/bin. */
function serverBin(program: string) {
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort().reverse() : []
  for (const v of versions) {
    const candidate = join('/usr/lib/postgresql', v, 'bin', program)
    if (existsSync(candidate)) return candidate
  }
  return program
}

export interface RunningPostgres {
  /** A fresh, empty database on the cluster. */
  database(name: string): Promise<string>
  stop(): Promise<void>
}

/**
 * A throwaway PostgreSQL cluster on a free loopback port. initdb refuses to run as root, so the
 * cluster belongs to the `postgres` user (the tests run as root here, as CI does).
 */
export async function startPostgres(): Promise<RunningPostgres> {
  const dir = tempDir('ota-pg')
  const data = join(dir.dir, 'data')
  const { uid, gid } = { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) }
  chownSync(dir.dir, uid, gid)
  const asPostgres = (program: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', serverBin(program), ...args], { stdio: 'pipe' })
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'ota', '--no-sync'])
  const port = await freePort()
  asPostgres('pg_ctl', ['-D', data, '-o', `-p ${port} -k ${dir.dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', join(dir.dir, 'log'), '-w', 'start'])
  const admin = `postgres://ota@127.0.0.1:${port}/postgres`
  return {
    async database(name: string) {
      const pg = (await import('pg')).default
      const client = new pg.Client({ connectionString: admin })
      await client.connect()
      await client.query(`CREATE DATABASE ${name}`)
      await client.end()
      return `postgres://ota@127.0.0.1:${port}/${name}`
    },
    async stop() {
      asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', 'stop'])
      dir.remove()
    }
  }
}
