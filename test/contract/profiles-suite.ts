import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ProfileList } from '../../src/shared/profile'
import type { ContractClient } from '../support/clients'
import { keychainPeer } from '../support/keychain-peer'
import { draft, filesContaining, keychainAccounts, value } from '../support/profiles'

/** One suite, run against every transport: the Electron IPC binding and the WebSocket host. */
export function profilesContractSuite(transport: string, open: () => Promise<ContractClient>) {
  describe(`connection profiles over ${transport}`, () => {
    let client: ContractClient
    beforeEach(async () => {
      client = await open()
    })
    afterEach(async () => {
      await client.close()
    })

    it('starts with no profiles and no active one', async () => {
      expect(value(await client.api.profiles.list())).toEqual({ profiles: [], activeId: null })
    })

    it('creates a profile whose password goes to the keychain and nowhere else', async () => {
      const password = `pw-${transport}-${Math.random().toString(36).slice(2)}`
      const changes: ProfileList[] = []
      client.api.on('profiles.changed', (list) => changes.push(list))

      const created = value(await client.api.profiles.create(draft({ password })))

      expect(created).toMatchObject({ name: 'Plant A fleet', hasPassword: true, hasClientKey: false })
      expect(JSON.stringify(created)).not.toContain(password)
      expect(keychainPeer.get(`profile/${created.id}/password`)).toBe(password)
      await expect.poll(() => changes.length).toBe(1)
      expect(changes[0]!.profiles.map((p) => p.id)).toEqual([created.id])
      expect(JSON.stringify(value(await client.api.profiles.list()))).not.toContain(password)
      expect(filesContaining(client.dataDir, password)).toEqual([])
    })

    it('edits fields, keeps the password unless told, and removes it on request', async () => {
      const created = value(await client.api.profiles.create(draft({ password: 'first-secret' })))

      const renamed = value(await client.api.profiles.update({ id: created.id, changes: { name: '  Plant B  ', username: 'ops' } }))
      expect(renamed).toMatchObject({ name: 'Plant B', username: 'ops', hasPassword: true })
      expect(keychainPeer.get(`profile/${created.id}/password`)).toBe('first-secret')

      value(await client.api.profiles.update({ id: created.id, changes: { password: 'second-secret' } }))
      expect(keychainPeer.get(`profile/${created.id}/password`)).toBe('second-secret')

      const cleared = value(await client.api.profiles.update({ id: created.id, changes: { password: null } }))
      expect(cleared.hasPassword).toBe(false)
      expect(await keychainAccounts(created.id)).toEqual([])
    })

    it('duplicates a profile together with its secrets', async () => {
      const created = value(await client.api.profiles.create(draft({ password: 'dup-secret', authKind: 'token' })))
      const copy = value(await client.api.profiles.duplicate({ id: created.id }))
      expect(copy).toMatchObject({ name: 'Plant A fleet (copy)', authKind: 'token', hasPassword: true })
      expect(copy.id).not.toBe(created.id)
      expect(keychainPeer.get(`profile/${copy.id}/password`)).toBe('dup-secret')
    })

    it('remembers the active profile and forgets it when that profile is deleted', async () => {
      const a = value(await client.api.profiles.create(draft({ name: 'A', password: 'delete-me' })))
      // What features keep under a profile (its release key, its workshop keys) goes with it too.
      keychainPeer.set(`profile/${a.id}/release-key`, 'key material')
      const b = value(await client.api.profiles.create(draft({ name: 'B' })))
      value(await client.api.profiles.setActive({ id: a.id }))
      expect(value(await client.api.profiles.list()).activeId).toBe(a.id)

      value(await client.api.profiles.delete({ id: a.id }))
      const after = value(await client.api.profiles.list())
      expect(after.profiles.map((p) => p.id)).toEqual([b.id])
      expect(after.activeId).toBeNull()
      expect(await keychainAccounts(a.id)).toEqual([])
    })

    it('answers NOT_FOUND for a profile that does not exist', async () => {
      const result = await client.api.profiles.delete({ id: 'no-such-profile' })
      expect(result).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No connection profile with id no-such-profile' } })
    })

    it('refuses bad payloads with a clear error and keeps serving', async () => {
      const wrongType = await client.raw('profiles.create', { ...draft(), name: 42 })
      expect(wrongType).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
      expect(!wrongType.ok && wrongType.error.message).toMatch(/name/)

      const oversize = await client.raw('profiles.create', draft({ name: 'x'.repeat(10_000) }))
      expect(!oversize.ok && oversize.error.message).toMatch(/name: Too big/i)

      const badUrl = await client.raw('profiles.create', draft({ backendUrl: 'http://plain.example' }))
      expect(!badUrl.ok && badUrl.error.message).toMatch(/Backend URL must be a URL starting with https:\/\//)

      const smuggled = await client.raw('profiles.create', { ...draft(), password: 'p', isAdmin: true })
      expect(smuggled).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })

      const unknown = await client.raw('profiles.exportSecrets', {})
      expect(unknown).toEqual({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: 'Unknown call "profiles.exportSecrets"' } })

      const proto = await client.raw('__proto__', {})
      expect(proto).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } })

      expect(value(await client.api.profiles.list()).profiles).toEqual([])
    })

    it('keeps UI preferences', async () => {
      expect(value(await client.api.settings.get())).toEqual({ theme: 'system', language: 'system' })
      expect(value(await client.api.settings.update({ language: 'ja', theme: 'dark' }))).toEqual({ theme: 'dark', language: 'ja' })
      expect(value(await client.api.settings.get())).toEqual({ theme: 'dark', language: 'ja' })
      expect(await client.raw('settings.update', { language: 'fr' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    })
  })
}
