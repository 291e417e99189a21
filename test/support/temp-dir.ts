import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A temporary directory that other users can read (mosquitto drops to its own user as root). */
export function tempDir(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`))
  chmodSync(dir, 0o755)
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
