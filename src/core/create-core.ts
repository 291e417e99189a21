import { OtaError } from '../shared/errors'
import { CALL_NAMES, type CallHandlers } from '../shared/contract'
import { DEFAULT_SETTINGS, type AppStatus } from '../shared/settings'
import { createProfileRepo } from './profiles/profile-repo'
import { createProfileSecrets } from './profiles/profile-secrets'
import { createProfileService, type ProfileService } from './profiles/profile-service'
import type { ProbeOptions } from './profiles/connection-test'
import { createDispatcher, type Dispatch } from './rpc/dispatch'
import { createEventHub, type EventHub, type EventListener } from './rpc/event-hub'
import { createOsKeychain } from './secrets/os-keychain'
import type { SecretStore } from './secrets/secret-store'
import { withSandboxSecrets } from './secrets/sandbox-secrets'
import { openDatabase, type Db } from './store/database'
import type { Migration } from './store/migrate'
import { createSettingsRepo } from './store/settings-repo'
import { join } from 'node:path'
import type { ProfileView } from '../shared/profile'
import { SANDBOX_PROFILE_ID, type SandboxStatus } from '../shared/sandbox'
import type { Launcher } from './sandbox/child'
import { createSandbox } from './sandbox/sandbox'
import { createBackendCache } from './backend/backend-cache'
import { createBackendClient, type BackendClient } from './backend/backend-client'
import { createBackendSession } from './backend/backend-session'
import { createAuditFeature } from './audit/audit-feature'
import { createCertificatesFeature } from './certificates/certificates-feature'
import { createCampaignFeature } from './campaigns/campaign-feature'
import { createBundleFeature } from './bundles/bundle-feature'
import type { BundleService } from './bundles/bundle-service'
import { createUdsSessionFeature } from './uds-session/uds-session-feature'
import { createDiagnosticRunsFeature } from './diagnostic-runs/diagnostic-runs-feature'
import { createFleetFeature } from './fleet/fleet-feature'
import { createFirmwareFeature } from './firmware/firmware-feature'
import type { FeatureDeps } from './feature'
import { connectLiveLink } from './live/live-link'
import { createSessionService, type SessionService } from './session/session-service'

export interface CoreOptions {
  dataDir: string
  version: string
  secrets?: SecretStore
  migrations?: readonly Migration[]
  probe?: ProbeOptions
  /** How to run the backend and vehicle programs; without it the console has no sandbox. */
  sandbox?: { launcher: Launcher; vehicles?: number }
  log?: (line: string) => void
  /** The live MQTT link; tests and benchmarks may give their own. */
  connectLive?: typeof connectLiveLink
  /**
   * Check every answer and event against the contract as well as every input. On by default
   * (development, tests, `npm run serve`); the packaged app turns it off.
   */
  checkContract?: boolean
  /**
   * Keep a session with the active profile's backend: its status checked at start and its live
   * MQTT link open. On by default; otactl turns it off, as a command that runs and ends has no
   * use for a live link and often runs offline.
   */
  live?: boolean
}

/**
 * What an in-process caller (otactl) uses beside the contract: the same services the handlers
 * use, with files named by path. The renderer never reaches these; it has only the contract.
 */
export interface LocalCore {
  bundles: BundleService
  profiles: Pick<ProfileService, 'list'>
  /** A backend client for this profile, which need not be the active one; the caller closes it. */
  backend(profile: ProfileView): Promise<BackendClient>
}

export interface Core {
  dispatch: Dispatch
  subscribe(listener: EventListener): () => void
  /** The services underneath, for otactl; throws STORE_UNAVAILABLE with the reason when the store could not be opened. */
  local(): LocalCore
  close(): Promise<void>
}

/**
 * Wires the console's services. A store that cannot be opened does not stop the core: every
 * call then answers STORE_UNAVAILABLE with the reason, and app.status tells the renderer.
 */
export async function createCore(options: CoreOptions): Promise<Core> {
  const log = options.log ?? ((line: string) => console.error(`[core] ${line}`))
  const secretStore = withSandboxSecrets(options.secrets ?? createOsKeychain())
  const checkContract = options.checkContract ?? true
  const hub = createEventHub({ checkPayloads: checkContract, log })

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

  const wired = opened ? storeHandlers(opened.db, secretStore, hub, options, log) : { handlers: unavailableHandlers(storeError), local: undefined, close: async () => {} }
  return {
    dispatch: createDispatcher({ ...wired.handlers, 'app.status': status }, log, { checkOutputs: checkContract }),
    subscribe: hub.subscribe,
    local() {
      if (!wired.local) throw new OtaError('STORE_UNAVAILABLE', storeError)
      return wired.local
    },
    async close() {
      await wired.close()
      opened?.db.close()
    }
  }
}

type StoreHandlers = Omit<CallHandlers, 'app.status'>
const NO_SANDBOX: SandboxStatus = {
  state: 'off',
  backendUrl: null,
  vehicles: 0,
  online: 0,
  failureRate: 0,
  doip: null,
  message: 'This console was started without the sandbox (--no-sandbox).'
}

function storeHandlers(db: Db, secretStore: SecretStore, hub: EventHub, options: CoreOptions, log: (line: string) => void) {
  const settings = createSettingsRepo(db)
  // The session follows profile changes, and profiles exist before the session does. Without the
  // live session (otactl) it is never handed over, so nothing wakes it: no start check, no
  // profile change, no failure seen elsewhere.
  const late: { session?: SessionService } = {}
  const profiles = createProfileService({
    repo: createProfileRepo(db),
    secrets: createProfileSecrets(secretStore),
    settings,
    onChange: (list) => {
      hub.emit('profiles.changed', list)
      late.session?.profilesChanged()
    },
    probe: options.probe
  })
  const backend = createBackendSession({ activeProfile: profiles.active, credentials: profiles.credentials })
  const cache = createBackendCache(db)
  const deps: FeatureDeps = { db, backend, secrets: secretStore, hub, dataDir: options.dataDir, log, observed: (err) => late.session?.observed(err) }
  const profileId = () => profiles.active()?.id ?? null
  const campaigns = createCampaignFeature({ ...deps, cache, profileId })
  const bundles = createBundleFeature({ ...deps, activeProfile: profiles.active })
  const udsSessions = createUdsSessionFeature({ ...deps, bundles: bundles.service })
  const diagnosticRuns = createDiagnosticRunsFeature({ ...deps, profileId })
  const fleet = createFleetFeature({ ...deps, cache, profileId })
  const firmware = createFirmwareFeature({ ...deps, cache, profileId })
  const audit = createAuditFeature({ ...deps })
  const certificates = createCertificatesFeature({ ...deps, profileId })
  const session = createSessionService({
    backend,
    activeProfile: profiles.active,
    credentials: profiles.credentials,
    connectLive: options.connectLive ?? connectLiveLink,
    live: { onJobRollup: campaigns.onJobRollup, onFleetRollup: (r) => hub.emit('fleet.summary', r) },
    onChange: (s) => hub.emit('session.changed', s)
  })
  if (options.live ?? true) {
    late.session = session
    void session.refresh()
  }
  const sandbox =
    options.sandbox &&
    createSandbox({
      dir: join(options.dataDir, 'sandbox'),
      launcher: options.sandbox.launcher,
      vehicles: options.sandbox.vehicles ?? 50,
      onReady: (endpoints) => profiles.upsertSandbox(endpoints),
      onStatus: (s) => hub.emit('sandbox.changed', s),
      log
    })
  if (sandbox) void offerSandbox(sandbox, profiles, settings, log)
  const handlers: StoreHandlers = {
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
    'profiles.testConnection': profiles.testConnection,
    'sandbox.status': () => sandbox?.status() ?? NO_SANDBOX,
    'sandbox.start': () => sandbox?.start() ?? NO_SANDBOX,
    'sandbox.stop': () => sandbox?.stop() ?? NO_SANDBOX,
    'sandbox.reset': () => sandbox?.reset() ?? NO_SANDBOX,
    'sandbox.setFailureRate': ({ percent }) => sandbox?.setFailureRate(percent) ?? NO_SANDBOX,
    'session.status': () => session.status(),
    'session.refresh': () => session.refresh(),
    ...campaigns.handlers,
    ...bundles.handlers,
    ...udsSessions.handlers,
    ...diagnosticRuns.handlers,
    ...fleet.handlers,
    ...firmware.handlers,
    ...audit.handlers,
    ...certificates.handlers
  }
  const local: LocalCore = {
    bundles: bundles.service,
    profiles,
    backend: async (profile) => createBackendClient(await profiles.credentials(profile))
  }
  return {
    handlers,
    local,
    close: async () => {
      campaigns.close()
      bundles.close()
      await udsSessions.close()
      await diagnosticRuns.close()
      await fleet.close()
      await firmware.close()
      await session.close()
      backend.close()
      await sandbox?.stop()
    }
  }
}

/**
 * On a first start the sandbox becomes the active profile, so a new user sees a live fleet with
 * no setup; later, it starts whenever it is the active profile.
 */
async function offerSandbox(sandbox: ReturnType<typeof createSandbox>, profiles: ProfileService, settings: ReturnType<typeof createSettingsRepo>, log: (line: string) => void) {
  try {
    if (settings.get('sandboxOffered') === undefined) {
      settings.set('sandboxOffered', true)
      if (profiles.list().profiles.length === 0) {
        await profiles.upsertSandbox({ backendUrl: 'https://127.0.0.1/', mqttUrl: 'mqtts://127.0.0.1/', caCertPem: null })
        profiles.setActive({ id: SANDBOX_PROFILE_ID })
      }
    }
    if (profiles.list().activeId === SANDBOX_PROFILE_ID) await sandbox.start()
  } catch (err) {
    log(`sandbox: ${(err as Error).message}`)
  }
}

/** Without a store only what needs none still answers; every other call says why not. */
function unavailableHandlers(reason: string): StoreHandlers {
  const refuse = () => {
    throw new OtaError('STORE_UNAVAILABLE', reason)
  }
  const handlers = Object.fromEntries(CALL_NAMES.map((name) => [name, refuse])) as unknown as StoreHandlers
  return { ...handlers, 'settings.get': () => DEFAULT_SETTINGS, 'sandbox.status': () => NO_SANDBOX }
}
