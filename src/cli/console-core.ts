import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createCore, type LocalCore } from '../core/create-core'
import { defaultDataDir, sourceVersion } from '../core/paths'
import { DATABASE_FILE } from '../core/store/database'
import type { ProfileView } from '../shared/profile'
import { SANDBOX_PROFILE_ID } from '../shared/sandbox'
import { UsageError } from './exit-codes'
import { note } from './output'

/**
 * The console's core on its own data, made by the factory the console uses (its SQLite store,
 * migrated; the OS keychain; the same services), without the sandbox or a live link. The console
 * may run at the same time: WAL allows it.
 */
export async function openConsoleCore(dataDirOption: string | undefined) {
  const dataDir = resolve(dataDirOption ?? defaultDataDir())
  if (!existsSync(join(dataDir, DATABASE_FILE))) {
    throw new UsageError(`No console data in ${dataDir} (no ${DATABASE_FILE}): start the console once, or give its folder with --data-dir.`)
  }
  const core = await createCore({ dataDir, version: sourceVersion(), live: false, log: (line) => note(`otactl: ${line}`) })
  let local: LocalCore
  try {
    local = core.local()
  } catch (err) {
    await core.close()
    throw err
  }

  /** --profile NAME (or id), else the profile the console has active. */
  const profile = (name: string | undefined): ProfileView => {
    const { profiles, activeId } = local.profiles.list()
    const found = name === undefined ? profiles.find((p) => p.id === activeId) : profiles.find((p) => p.name === name || p.id === name)
    if (!found && name !== undefined) throw new UsageError(`No connection profile "${name}" in ${dataDir}; there are: ${profiles.map((p) => p.name).join(', ') || 'none'}.`)
    if (!found) throw new UsageError(`No connection profile is active in ${dataDir}: choose one in the console, or give --profile NAME.`)
    if (found.id === SANDBOX_PROFILE_ID) {
      throw new UsageError(
        'The Local sandbox signs in with a token that only the running console holds (it is made afresh at each start): use otactl with a connection profile of your own.'
      )
    }
    return found
  }

  return { ...local, dataDir, profile, close: () => core.close() }
}
export type ConsoleCore = Awaited<ReturnType<typeof openConsoleCore>>
