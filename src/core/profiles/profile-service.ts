import { randomUUID } from 'node:crypto'
import { OtaError } from '../../shared/errors'
import type { CallArgs } from '../../shared/contract'
import { SANDBOX_PROFILE_ID } from '../../shared/sandbox'
import { ProfileFields, type ConnectionTestResult, type ProfileList, type ProfileView } from '../../shared/profile'
import type { SettingsRepo } from '../store/settings-repo'
import type { ProfileRepo } from './profile-repo'
import { NO_SECRETS, type ProfileSecretsStore } from './profile-secrets'
import { testConnection, type ProbeOptions } from './connection-test'
import type { Credentials } from './credentials'

const ACTIVE_KEY = 'activeProfileId'

interface Deps {
  repo: ProfileRepo
  secrets: ProfileSecretsStore
  settings: SettingsRepo
  onChange(list: ProfileList): void
  probe?: ProbeOptions
}

/** Connection profiles: fields in SQLite, secrets in the keychain, never the other way round. */
export function createProfileService({ repo, secrets, settings, onChange, probe }: Deps) {
  const mustGet = (id: string) => {
    const profile = repo.get(id)
    if (!profile) throw new OtaError('NOT_FOUND', `No connection profile with id ${id}`)
    return profile
  }
  const list = (): ProfileList => {
    const profiles = repo.list()
    const active = settings.get(ACTIVE_KEY)
    const activeId = profiles.some((p) => p.id === active) ? (active as string) : null
    return { profiles, activeId }
  }
  const changed = () => onChange(list())

  return {
    list,

    async create(draft: CallArgs<'profiles.create'>): Promise<ProfileView> {
      const { password, clientKeyPem, keyPassphrase, ...fields } = draft
      const id = randomUUID()
      // Secrets first: if the keychain refuses, no profile exists that claims to have them.
      const flags = await secrets.apply(id, { password, clientKeyPem, keyPassphrase }, NO_SECRETS)
      try {
        repo.insert(id, fields, flags)
      } catch (err) {
        await secrets.removeAll(id)
        throw err
      }
      changed()
      return mustGet(id)
    },

    async update({ id, changes }: CallArgs<'profiles.update'>): Promise<ProfileView> {
      const before = mustGet(id)
      const { password, clientKeyPem, keyPassphrase, ...fieldChanges } = changes
      const fields = ProfileFields.parse({ ...before, ...fieldChanges })
      const flags = await secrets.apply(id, { password, clientKeyPem, keyPassphrase }, before)
      repo.update(id, fields, flags)
      changed()
      return mustGet(id)
    },

    async duplicate({ id }: { id: string }): Promise<ProfileView> {
      const source = mustGet(id)
      const copyId = randomUUID()
      const values = await secrets.read(id, source)
      const flags = await secrets.apply(copyId, values, NO_SECRETS)
      const fields = ProfileFields.parse({ ...source, name: `${source.name} (copy)`.slice(0, 100) })
      repo.insert(copyId, fields, flags)
      changed()
      return mustGet(copyId)
    },

    async delete({ id }: { id: string }) {
      mustGet(id)
      await secrets.removeAll(id)
      repo.remove(id)
      if (settings.get(ACTIVE_KEY) === id) settings.set(ACTIVE_KEY, null)
      changed()
    },

    setActive({ id }: { id: string | null }) {
      if (id !== null) mustGet(id)
      settings.set(ACTIVE_KEY, id)
      changed()
    },

    /** The built-in "Local sandbox" profile, pointed at wherever the sandbox runs now. */
    async upsertSandbox(endpoints: { backendUrl: string; mqttUrl: string; caCertPem: string | null; adminToken?: string }) {
      const before = repo.get(SANDBOX_PROFILE_ID)
      const fields = ProfileFields.parse({
        name: 'Local sandbox',
        backendUrl: endpoints.backendUrl,
        mqttUrl: endpoints.mqttUrl,
        username: 'admin',
        authKind: 'token',
        caCertPem: endpoints.caCertPem,
        clientCertPem: null,
        // The sandbox's backend speaks the hybrid group: it shows what requiring it looks like.
        tlsMinimum: 'quantum-safe'
      })
      const flags = await secrets.apply(SANDBOX_PROFILE_ID, endpoints.adminToken ? { password: endpoints.adminToken } : {}, before ?? NO_SECRETS)
      if (before) repo.update(SANDBOX_PROFILE_ID, fields, flags)
      else repo.insert(SANDBOX_PROFILE_ID, fields, flags)
      changed()
    },

    /** The active profile, if any: what every call to the backend goes through. */
    active(): ProfileView | undefined {
      const { activeId } = list()
      return activeId === null ? undefined : repo.get(activeId)
    },

    credentials: async (profile: ProfileView): Promise<Credentials> => ({ profile, secrets: await secrets.read(profile.id, profile) }),

    async testConnection({ id }: { id: string }): Promise<ConnectionTestResult> {
      const profile = mustGet(id)
      return testConnection(profile, await secrets.read(id, profile), probe)
    }
  }
}
export type ProfileService = ReturnType<typeof createProfileService>
