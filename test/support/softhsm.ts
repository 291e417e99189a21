import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Debian's SoftHSM2 module. */
export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so'

/**
 * A throwaway SoftHSM2 token in `dir`, initialised with softhsm2-util (label, user PIN). SoftHSM
 * finds its tokens through SOFTHSM2_CONF, which is read when the module is loaded: it is set in
 * this process's environment, for the module this process loads and the children it starts.
 */
export function softhsmToken(dir: string, label = 'ota-test', pin = '1234') {
  const tokens = join(dir, 'tokens')
  mkdirSync(tokens, { recursive: true })
  const conf = join(dir, 'softhsm2.conf')
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\n`)
  process.env.SOFTHSM2_CONF = conf
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', `${pin}${pin}`], { stdio: 'pipe', env: process.env })
  return { module: SOFTHSM_MODULE, token: label, pin, tokens }
}
