import { OtaError } from '../shared/errors'
import type { CallHandlers } from '../shared/contract'
import { DEFAULT_SETTINGS, type AppStatus } from '../shared/settings'
import { createProfileRepo } from './profiles/profile-repo'
import { createProfileSecrets } from './profiles/profile-secrets'
import { createProfileService } from './profiles/profile-service'
import type { ProbeOptions } from './profiles/connection-test'
import { createDispatcher, type Dispatch } from './rpc/dispatch'
import { createEventHub, type EventListener } from './rpc/event-hub'
import { createKeytarStore } from './secrets/keytar-store'
import type { SecretStore } from './secrets/secret-store'
import { openDatabase } from './store/database'
import type { Migration } from './store/migrate'
import { createSettingsRepo } from './store/settings-repo'

export interface CoreOptions {
  dataDir: string
  version: string
  secrets?: SecretStore
  migrations?: readonly Migration[]
  probe?: ProbeOptions
  log?: (line: string) => void
}

export interface Core {
  dispatch: Dispatch
  subscribe(listener: EventListener): () => void
  close(): void
}

/**
 * Wires the console's services. A store that cannot be opened does not stop the core: every
 * call then answers STORE_UNAVAILABLE with the reason, and app.status tells the renderer.
 */
export async function createCore(options: CoreOptions): Promise<Core> {
  const log = options.log ?? ((line: string) => console.error(`[core] ${line}`))
  const secretStore = options.secrets ?? createKeytarStore()
  const hub = createEventHub()

  let opened: ReturnType<typeof openDatabase> | undefined
  let storeError = ''
  try {
    opened = openDatabase(options.dataDir, options.migrations)
  } catch (err) {
    storeError = `The local store in ${options.dataDir} could not be opened: ${(err as Error).message}`
    log(storeError)
  }

  const status = async (): Promise<AppStatus> => ({
    version: options.version,
    dataDir: options.dataDir,
    store: opened ? { ok: true, schemaVersion: opened.schemaVersion } : { ok: false, message: storeError },
    keychain: await secretStore.status()
  })

  const handlers = opened ? storeHandlers(opened.db, secretStore, hub, options.probe) : unavailableHandlers(storeError)
  return {
    dispatch: createDispatcher({ ...handlers, 'app.status': status }, log),
    subscribe: hub.subscribe,
    close: () => opened?.db.close()
  }
}

type StoreHandlers = Omit<CallHandlers, 'app.status'>

function storeHandlers(
  db: ReturnType<typeof openDatabase>['db'],
  secretStore: SecretStore,
  hub: ReturnType<typeof createEventHub>,
  probe?: ProbeOptions
): StoreHandlers {
  const settings = createSettingsRepo(db)
  const profiles = createProfileService({
    repo: createProfileRepo(db),
    secrets: createProfileSecrets(secretStore),
    settings,
    onChange: (list) => hub.emit('profiles.changed', list),
    probe
  })
  return {
    'settings.get': () => settings.preferences(),
    'settings.update': (patch) => {
      for (const [key, value] of Object.entries(patch)) settings.set(key, value)
      const next = settings.preferences()
      hub.emit('settings.changed', next)
      return next
    },
    'profiles.list': profiles.list,
    'profiles.create': profiles.create,
    'profiles.update': profiles.update,
    'profiles.duplicate': profiles.duplicate,
    'profiles.delete': profiles.delete,
    'profiles.setActive': profiles.setActive,
    'profiles.testConnection': profiles.testConnection
  }
}

function unavailableHandlers(reason: string): StoreHandlers {
  const refuse = () => {
    throw new OtaError('STORE_UNAVAILABLE', reason)
  }
  return {
    'settings.get': () => DEFAULT_SETTINGS,
    'settings.update': refuse,
    'profiles.list': refuse,
    'profiles.create': refuse,
    'profiles.update': refuse,
    'profiles.duplicate': refuse,
    'profiles.delete': refuse,
    'profiles.setActive': refuse,
    'profiles.testConnection': refuse
  }
}
