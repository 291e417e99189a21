import { createSecureContext } from 'node:tls'
import { describeRequirement, groupsMeeting, type TlsMinimum } from '../shared/security-profiles'
import { tooWeak } from './tls-policy'

const known = new Map<string, boolean>()

/** Whether this runtime's TLS library takes a group name: Node 24's OpenSSL 3.5 takes all of ours, Electron's BoringSSL fewer. */
export function runtimeKnowsGroup(group: string): boolean {
  let answer = known.get(group)
  if (answer === undefined) {
    try {
      createSecureContext({ ecdhCurve: group })
      answer = true
    } catch {
      answer = false
    }
    known.set(group, answer)
  }
  return answer
}

/**
 * The TLS library behind Node's `tls` here, for refusals. Electron's Node links Chromium's
 * BoringSSL, whose OpenSSL-compatible version string can fill `versions.openssl` (Electron 10
 * reported 1.1.0): a refusal must not blame an OpenSSL that is not there.
 */
function tlsLibrary(): string {
  const { electron, openssl } = process.versions
  if (electron) return `BoringSSL (Electron ${electron})`
  return openssl ? `OpenSSL ${openssl}` : 'this runtime’s TLS library'
}

/**
 * The `ecdhCurve` a client offers under a minimum: the groups that meet it and that this runtime
 * has, best first. When the runtime has none of them the connection cannot meet the minimum at
 * all, and the error says which library is missing what.
 */
export function offeredGroups(minimum: TlsMinimum, knows: (group: string) => boolean = runtimeKnowsGroup): string {
  const wanted = groupsMeeting(minimum)
  const offered = wanted.filter(knows)
  if (offered.length === 0) {
    throw tooWeak(`${tlsLibrary()} has none of ${wanted.join(', ')}: it cannot give ${describeRequirement(minimum)}`)
  }
  return offered.join(':')
}

/** Every group this runtime has, best first: what a link offers when nothing narrows it. */
export const runtimeGroups = () => offeredGroups('any')

/** The one group a security profile makes a server offer, refused when this runtime's TLS has no such group. */
export function requireGroup(group: string, forWhat: string): string {
  if (!runtimeKnowsGroup(group)) throw new Error(`${forWhat} needs the key exchange ${group}, which ${tlsLibrary()} does not have`)
  return group
}
