import { spawn } from 'node:child_process'
import { join } from 'node:path'
import type { RunningBackend } from '../../src/backend/server'
import { createProfileRepo } from '../../src/core/profiles/profile-repo'
import { createProfileSecrets } from '../../src/core/profiles/profile-secrets'
import { createProfileService } from '../../src/core/profiles/profile-service'
import { createOsKeychain } from '../../src/core/secrets/os-keychain'
import { openDatabase } from '../../src/core/store/database'
import { createSettingsRepo } from '../../src/core/store/settings-repo'

const root = join(__dirname, '../..')

export interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** otactl as a user runs it: a process of its own, its exit code and what it printed. */
export function startOtactl(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/otactl.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk))
  const done = new Promise<Run>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })))
  return { child, done, stdout: () => stdout, stderr: () => stderr }
}

export const otactl = (...args: string[]) => startOtactl(args).done

/** A console's data folder with one profile for the backend; `active: false` leaves no profile active. */
export async function consoleDir(dir: string, backend: RunningBackend, token: string, name: string, active = true) {
  const { db } = openDatabase(dir)
  try {
    const settings = createSettingsRepo(db)
    const profiles = createProfileService({ repo: createProfileRepo(db), secrets: createProfileSecrets(createOsKeychain()), settings, onChange: () => {} })
    const profile =
      profiles.list().profiles.find((p) => p.name === name) ??
      (await profiles.create({
        name,
        backendUrl: backend.url,
        mqttUrl: backend.mqttUrl,
        username: name,
        authKind: 'token',
        caCertPem: backend.caCertPem,
        clientCertPem: null,
        tlsMinimum: 'any',
        password: token
      }))
    profiles.setActive({ id: active ? profile.id : null })
  } finally {
    db.close()
  }
  return dir
}
