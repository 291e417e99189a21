import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createBackendClient } from '../core/backend/backend-client'
import { createBundleService } from '../core/bundles/bundle-service'
import { defaultDataDir } from '../core/paths'
import { createProfileRepo } from '../core/profiles/profile-repo'
import { createProfileSecrets } from '../core/profiles/profile-secrets'
import type { Credentials } from '../core/profiles/credentials'
import { createOsKeychain } from '../core/secrets/os-keychain'
import { DATABASE_FILE, openDatabase } from '../core/store/database'
import { createSettingsRepo } from '../core/store/settings-repo'
import type { ProfileView } from '../shared/profile'
import { SANDBOX_PROFILE_ID } from '../shared/sandbox'
import { UsageError } from './exit-codes'

/** The active profile's key in the settings table, as the console's profile service keeps it. */
const ACTIVE_KEY = 'activeProfileId'

/**
 * The console's own data, opened as the console does: its SQLite store (migrated; the console may
 * run at the same time, WAL allows it), the OS keychain, and the bundle service on top.
 */
export function openConsoleData(dataDirOption: string | undefined) {
  const dataDir = resolve(dataDirOption ?? defaultDataDir())
  if (!existsSync(join(dataDir, DATABASE_FILE))) {
    throw new UsageError(`No console data in ${dataDir} (no ${DATABASE_FILE}): start the console once, or give its folder with --data-dir.`)
  }
  const { db } = openDatabase(dataDir)
  const secrets = createOsKeychain()
  const repo = createProfileRepo(db)
  const settings = createSettingsRepo(db)
  const profileSecrets = createProfileSecrets(secrets)

  /** --profile NAME (or id), else the profile the console has active. */
  const profile = (name: string | undefined): ProfileView => {
    const profiles = repo.list()
    if (name !== undefined) {
      const found = profiles.find((p) => p.name === name || p.id === name)
      if (!found) throw new UsageError(`No connection profile "${name}" in ${dataDir}; there are: ${profiles.map((p) => p.name).join(', ') || 'none'}.`)
      return found
    }
    const active = profiles.find((p) => p.id === settings.get(ACTIVE_KEY))
    if (!active) throw new UsageError(`No connection profile is active in ${dataDir}: choose one in the console, or give --profile NAME.`)
    return active
  }
  const credentials = async (p: ProfileView): Promise<Credentials> => {
    if (p.id === SANDBOX_PROFILE_ID) {
      throw new UsageError(
        'The Local sandbox signs in with a token that only the running console holds (it is made afresh at each start): use otactl with a connection profile of your own.'
      )
    }
    return { profile: p, secrets: await profileSecrets.read(p.id, p) }
  }

  return {
    dataDir,
    bundles: createBundleService({ db, secrets, dataDir }),
    profile,
    credentials,
    /** A backend client for the profile; the caller closes it. */
    backend: async (p: ProfileView) => createBackendClient(await credentials(p)),
    close: () => db.close()
  }
}
export type ConsoleData = ReturnType<typeof openConsoleData>
