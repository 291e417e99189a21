import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { keychainPeer } from './keychain-peer'
import type { OtaApi } from '../../src/shared/api'
import type { ProfileDraft } from '../../src/shared/profile'
import type { Result } from '../../src/shared/errors'

export const value = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`call failed: ${r.error.code} ${r.error.message}`)
  return r.value
}

/** Signs a console in to a running backend as a user would: a token profile, made the active one. */
export async function signIn(client: { api: OtaApi }, backend: { url: string; mqttUrl: string; caCertPem: string }, token: string, name: string) {
  const profile = value(
    await client.api.profiles.create({
      name,
      backendUrl: backend.url,
      mqttUrl: backend.mqttUrl,
      username: name,
      authKind: 'token',
      caCertPem: backend.caCertPem,
      clientCertPem: null,
      password: token
    })
  )
  value(await client.api.profiles.setActive({ id: profile.id }))
  return profile.id
}

export const draft = (overrides: Partial<ProfileDraft> = {}): ProfileDraft => ({
  name: 'Plant A fleet',
  backendUrl: 'https://fleet.example.test',
  mqttUrl: 'mqtts://broker.example.test:8883',
  username: 'release-mgr',
  authKind: 'password',
  caCertPem: null,
  clientCertPem: null,
  ...overrides
})

export const keychainAccounts = async (profileId: string) => keychainPeer.entries().filter((c) => c.account.startsWith(`profile/${profileId}/`))

/** Every byte under a directory, so a test can prove a secret is in no file. */
export function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) hits.push(...filesContaining(path, needle))
    else if (readFileSync(path).includes(Buffer.from(needle))) hits.push(path)
  }
  return hits
}
