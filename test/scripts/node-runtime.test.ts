import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import semver from 'semver'
import { describe, expect, it } from 'vitest'

const root = join(__dirname, '../..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string }; devDependencies: Record<string, string> }

describe('the Node the project runs on', () => {
  it('is the one package.json asks for, Node 24 LTS, and @types/node describes that line', () => {
    expect(semver.minVersion(pkg.engines.node)?.major).toBe(24)
    expect(semver.satisfies(process.versions.node, pkg.engines.node), `tests run on Node ${process.versions.node}; run scripts/setup-node`).toBe(true)
    expect(semver.minVersion(pkg.devDependencies['@types/node']!)?.major).toBe(24)
  })

  it('has a TLS library with the post-quantum algorithms the product relies on', async () => {
    const { generateKeyPairSync } = await import('node:crypto')
    expect(semver.gte(process.versions.openssl.replace(/[^0-9.].*$/, ''), '3.5.0')).toBe(true)
    expect(generateKeyPairSync('ml-kem-768').publicKey.asymmetricKeyType).toBe('ml-kem-768')
    expect(generateKeyPairSync('ml-dsa-65').publicKey.asymmetricKeyType).toBe('ml-dsa-65')
  })
})
