import { describe, expect, it } from 'vitest'
import { diffTargets, fingerprint, nextTargets, unexpected, type Targets } from '../../src/core/firmware/targets-review'
import type { ReleaseView } from '../../src/shared/fleet/catalog'
import type { TargetInfo } from '../../src/shared/tuf/metadata'

const IMAGE = 'a'.repeat(64)
const entry = (releaseId: string, model: string, ecu: string, version: string, over: Partial<TargetInfo> = {}): TargetInfo => ({
  length: 100,
  hashes: { sha256: 'b'.repeat(64) },
  custom: { releaseId, model, ecu, version, hardware: ['hw-1'], plaintextSha256: IMAGE, mldsa65: { keyid: 'k', sig: Math.random().toString(16) } },
  ...over
})
const release: ReleaseView = {
  id: 'rel_000000000002',
  model: 'model_a',
  ecu: 'ECU_002',
  version: '2.1.0',
  hardware: ['hw-1'],
  notes: '',
  artifactSha256: IMAGE,
  size: 90,
  published: true,
  channels: ['stable'],
  createdAt: '2026-01-01T00:00:00Z',
  createdBy: 'rm'
}
const trusted: Targets = { 'model_a/ECU_001/1.0.0.bin': entry('rel_000000000001', 'model_a', 'ECU_001', '1.0.0') }
const published: Targets = { ...trusted, 'model_a/ECU_002/2.1.0.bin': entry(release.id, 'model_a', 'ECU_002', '2.1.0') }

// What the console's release key vouches for: only the change the user made or reviewed. A
// compromised backend that slips in, alters or relabels an entry gets no signature.
describe('reviewing the backend’s targets draft before signing', () => {
  it('lets a publish add exactly its own release, keeping trusted entries byte for byte', () => {
    const draft = {
      ...published,
      'model_a/ECU_001/1.0.0.bin': { ...trusted['model_a/ECU_001/1.0.0.bin']!, custom: { ...trusted['model_a/ECU_001/1.0.0.bin']!.custom!, mldsa65: { keyid: 'k', sig: 'fresh' } } }
    }
    const changes = diffTargets(trusted, draft)
    expect(changes).toEqual([{ kind: 'added', path: 'model_a/ECU_002/2.1.0.bin', releaseId: release.id, model: 'model_a', ecu: 'ECU_002', version: '2.1.0', imageSha256: IMAGE }])
    expect(unexpected(changes, draft, { kind: 'publish', release })).toBeNull()
    expect(nextTargets(trusted, draft)['model_a/ECU_001/1.0.0.bin']).toBe(trusted['model_a/ECU_001/1.0.0.bin'])
  })

  it('refuses a draft with another entry slipped in, an altered image, or a relabelled path', () => {
    const slipped = { ...published, 'model_b/ECU_001/9.9.9.bin': entry('rel_000000000009', 'model_b', 'ECU_001', '9.9.9') }
    expect(unexpected(diffTargets(trusted, slipped), slipped, { kind: 'publish', release })).toBe(
      "Publishing should only add model_a/ECU_002/2.1.0.bin; the backend's draft has added model_a/ECU_002/2.1.0.bin, added model_b/ECU_001/9.9.9.bin"
    )

    const altered = { ...published, 'model_a/ECU_002/2.1.0.bin': entry(release.id, 'model_a', 'ECU_002', '2.1.0', {}) }
    altered['model_a/ECU_002/2.1.0.bin']!.custom!.plaintextSha256 = 'c'.repeat(64)
    expect(unexpected(diffTargets(trusted, altered), altered, { kind: 'publish', release })).toMatch(/does not match release rel_000000000002/)

    const swapped = {
      ...trusted,
      'model_a/ECU_001/1.0.0.bin': entry('rel_000000000001', 'model_a', 'ECU_001', '1.0.0', { hashes: { sha256: 'd'.repeat(64) } }),
      'model_a/ECU_002/2.1.0.bin': published['model_a/ECU_002/2.1.0.bin']!
    }
    expect(unexpected(diffTargets(trusted, swapped), swapped, { kind: 'publish', release })).toMatch(/changed model_a\/ECU_001\/1.0.0.bin/)

    const relabelled = { ...trusted, 'model_a/ECU_002/2.1.0.bin': entry(release.id, 'model_b', 'ECU_002', '2.1.0') }
    expect(unexpected(diffTargets(trusted, relabelled), relabelled, { kind: 'publish', release })).toBe(
      "The backend's draft is malformed: model_a/ECU_002/2.1.0.bin claims to be model_b ECU_002 2.1.0"
    )
  })

  it('lets a withdraw only remove its release, and a review sign only the changes it saw', () => {
    const changes = diffTargets(published, trusted)
    expect(unexpected(changes, trusted, { kind: 'withdraw', release })).toBeNull()
    expect(unexpected(diffTargets(published, {}), {}, { kind: 'withdraw', release })).toMatch(/Withdrawing should only remove/)

    const seen = fingerprint(diffTargets(trusted, published))
    expect(unexpected(diffTargets(trusted, published), published, { kind: 'reviewed', fingerprint: seen })).toBeNull()
    const more = { ...published, 'model_a/ECU_003/1.0.0.bin': entry('rel_000000000003', 'model_a', 'ECU_003', '1.0.0') }
    expect(unexpected(diffTargets(trusted, more), more, { kind: 'reviewed', fingerprint: seen })).toMatch(/no longer the ones you reviewed/)
  })
})
