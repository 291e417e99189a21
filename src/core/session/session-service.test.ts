import { describe, expect, it } from 'vitest'
import type { ProfileView } from '../../shared/profile'
import type { BackendSession } from '../backend/backend-session'
import type { LiveHandlers } from '../live/live-link'
import { createSessionService } from './session-service'

const profile = (id: string): ProfileView => ({
  id,
  name: `Profile ${id}`,
  backendUrl: `https://${id}.test`,
  mqttUrl: `mqtts://${id}.test`,
  username: 'u',
  authKind: 'token',
  caCertPem: null,
  clientCertPem: null,
  tlsMinimum: 'any',
  hasPassword: true,
  hasClientKey: false,
  hasKeyPassphrase: false,
  createdAt: 'x',
  updatedAt: 'x'
})
const tick = () => new Promise((r) => setTimeout(r, 5))

// The session's own race: quick profile switches must end on the last one chosen, with only its
// live link open, whatever order the slow steps (closing a link, asking the backend) finish in.
describe('the session service', () => {
  it('ends on the last profile chosen after quick switches, with one live link, the old ones silenced', async () => {
    let active = 'A'
    const links: { profile: string; closed: boolean; handlers: LiveHandlers }[] = []
    const changes: string[] = []
    const closing: Promise<void>[] = []
    const backend = {
      key: () => `${active}@x`,
      client: async () => ({ identity: { me: async () => (await tick(), { name: `user-${active}`, role: 'admin' }) } })
    } as unknown as BackendSession
    const session = createSessionService({
      backend,
      activeProfile: () => profile(active),
      credentials: async (p) => ({ profile: p, secrets: {} }),
      connectLive: (credentials, handlers) => {
        const link = { profile: credentials.profile.id, closed: false, handlers }
        links.push(link)
        handlers.onState('connecting', null)
        const close = async () => {
          await tick()
          link.closed = true
        }
        return { close: () => (closing.push(close()), closing.at(-1)!) }
      },
      live: { onJobRollup: () => {}, onFleetRollup: () => {} },
      onChange: (s) => changes.push(`${s.profileId}:${s.backend}:${s.live}`)
    })
    await session.refresh()
    expect(session.status()).toMatchObject({ profileId: 'A', backend: 'ok', live: 'connecting' })

    for (const next of ['B', 'A', 'B', 'A']) {
      active = next
      session.profilesChanged()
    }
    await expect.poll(() => session.status()).toMatchObject({ profileId: 'A', profileName: 'Profile A', backend: 'ok', identity: { name: 'user-A' } })
    // Every close the switches asked for has finished: what is open now stays open.
    await Promise.all(closing)
    const open = links.filter((l) => !l.closed)
    expect(open).toHaveLength(1)
    expect(open[0]!.profile).toBe('A')

    // A closed link that still reports changes nothing.
    const before = session.status()
    links[0]!.handlers.onState('reconnecting', 'old link')
    expect(session.status()).toEqual(before)
    open[0]!.handlers.onState('connected', null)
    expect(session.status()).toMatchObject({ profileId: 'A', live: 'connected' })
    await session.close()
  })
})
