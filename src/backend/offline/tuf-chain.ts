import { SignedRoot, SignedSnapshot, SignedTargets, SignedTimestamp } from '../../shared/tuf/metadata'
import type { TufRepository } from '../tuf/repository'

/**
 * The TUF metadata a bundle carries: every root version (a workshop may have pinned any of
 * them and walks forward), and the timestamp, snapshot and targets current now.
 */
export async function tufChain(tuf: TufRepository) {
  const read = async (name: string) => {
    const text = await tuf.file(name)
    if (!text) throw new Error(`TUF metadata ${name} is missing from the repository`)
    return JSON.parse(text) as unknown
  }
  const roots = []
  for (let version = 1; ; version++) {
    const text = await tuf.file(`${version}.root.json`)
    if (!text) break
    roots.push(SignedRoot.parse(JSON.parse(text)))
  }
  const timestamp = SignedTimestamp.parse(await read('timestamp.json'))
  const snapshot = SignedSnapshot.parse(await read(`${timestamp.signed.meta['snapshot.json'].version}.snapshot.json`))
  const targetsVersion = snapshot.signed.meta['targets.json']?.version
  if (!targetsVersion) throw new Error('the TUF snapshot names no targets metadata')
  const targets = SignedTargets.parse(await read(`${targetsVersion}.targets.json`))
  return { roots, timestamp, snapshot, targets }
}
