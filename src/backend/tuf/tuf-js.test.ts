import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { request } from 'node:https'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { BaseFetcher, Updater } from 'tuf-js'
// tuf-js stops walking the root chain only on its own 403/404 error type.
import { DownloadHTTPError } from 'tuf-js/dist/error'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClient } from '../../../test/support/https-client'
import { tempDir } from '../../../test/support/temp-dir'
import { canonicalJson } from '../../shared/tuf/canonical-json'
import { startBackend, type RunningBackend } from '../server'
import { keyIdOf } from './keys'
import { enrolledVehicle } from '../../../test/support/vehicle-keys'
import type { DeviceIdentity } from '../../vehicle/identity'

/** tuf-js's fetcher over our HTTPS with the backend's CA and a vehicle's device certificate; can alter bytes in flight. */
class VehicleFetcher extends BaseFetcher {
  constructor(
    private ca: string,
    private identity: DeviceIdentity,
    private tamper: (url: string, body: Buffer) => Buffer = (_u, b) => b
  ) {
    super()
  }
  fetch(url: string): Promise<ReadableStream<Uint8Array<ArrayBuffer>>> {
    return new Promise((resolve, reject) => {
      request(url, { ca: this.ca, cert: this.identity.certPem, key: this.identity.keyPem }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(new DownloadHTTPError(`HTTP ${res.statusCode} for ${url}`, res.statusCode ?? 0))
          resolve(Readable.toWeb(Readable.from([this.tamper(url, Buffer.concat(chunks))])) as ReadableStream<Uint8Array<ArrayBuffer>>)
        })
      })
        .on('error', reject)
        .end()
    })
  }
}

// tuf-js is the TUF client npm itself uses: it must accept our repository as it is.
describe('the TUF repository, read by tuf-js', () => {
  const data = tempDir('ota-tuf')
  let backend: RunningBackend
  let vehicle: DeviceIdentity
  const firmware = randomBytes(50_000)
  const target = 'model_a/ECU_002/3.0.0.bin'

  const updater = (name: string, tamper?: (url: string, body: Buffer) => Buffer) => {
    const dir = join(data.dir, name)
    mkdirSync(join(dir, 'targets'), { recursive: true })
    return new Updater({
      metadataDir: dir,
      metadataBaseUrl: `${backend.url}/tuf`,
      targetDir: join(dir, 'targets'),
      targetBaseUrl: `${backend.url}/tuf/targets`,
      fetcher: new VehicleFetcher(backend.caCertPem, vehicle, tamper)
    })
  }
  const trustRoot = async (name: string) => {
    const dir = join(data.dir, name)
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'root.json'), (await apiClient(backend.url, backend.caCertPem).get('/tuf/1.root.json')).body)
  }

  beforeAll(async () => {
    backend = await startBackend({ dataDir: join(data.dir, 'backend'), log: () => {} })
    const api = apiClient(backend.url, backend.caCertPem)
    const token = backend.firstAdminToken!
    vehicle = (await enrolledVehicle(api, token, { vin: 'JTDKB20U993456789', model: 'model_a', region: 'jp' })).identity
    const { sha256 } = (await api.post('/api/v1/artifacts', { token, body: firmware })).json
    const rel = (await api.post('/api/v1/releases', { token, json: { model: 'model_a', ecu: 'ECU_002', version: '3.0.0', hardware: ['hw-b'], artifactSha256: sha256 } })).json
    expect((await api.post(`/api/v1/releases/${rel.id}/publish`, { token })).status).toBe(200)
  })
  afterAll(async () => {
    await backend.close()
    data.remove()
  })

  it('refreshes, finds the target with its custom fields, and downloads it by its consistent-snapshot name', async () => {
    await trustRoot('client-a')
    const client = updater('client-a')
    await client.refresh()
    const info = await client.getTargetInfo(target)
    expect(info?.custom).toMatchObject({ model: 'model_a', ecu: 'ECU_002', version: '3.0.0', plaintextSha256: createHash('sha256').update(firmware).digest('hex') })
    expect((info?.custom as { mldsa65: { sig: string } }).mldsa65.sig.length).toBe(3309 * 2)
    const file = await client.downloadTarget(info!, join(data.dir, 'client-a', 'fw.bin'))
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(info!.hashes.sha256)
  })

  it('rejects an altered target and altered metadata', async () => {
    await trustRoot('client-b')
    const flipTarget = updater('client-b', (url, body) => (url.includes('/targets/model_a/') ? Buffer.concat([body.subarray(0, -1), Buffer.from([body.at(-1)! ^ 1])]) : body))
    await flipTarget.refresh()
    const info = await flipTarget.getTargetInfo(target)
    await expect(flipTarget.downloadTarget(info!, join(data.dir, 'client-b', 'fw.bin'))).rejects.toThrow()

    await trustRoot('client-c')
    const forgeTargets = updater('client-c', (url, body) => (url.endsWith('.targets.json') ? Buffer.from(body.toString().replace('"3.0.0"', '"9.0.0"')) : body))
    await expect(forgeTargets.refresh()).rejects.toThrow()
  })

  it('follows a key rotation through a new root version', async () => {
    await trustRoot('client-d')
    const api = apiClient(backend.url, backend.caCertPem)
    for (const role of ['timestamp', 'root']) {
      expect((await api.post('/api/v1/tuf/rotate', { token: backend.firstAdminToken!, json: { role } })).status).toBe(200)
    }
    const client = updater('client-d')
    await client.refresh()
    expect(JSON.parse(readFileSync(join(data.dir, 'client-d', 'root.json'), 'utf8')).signed.version).toBe(3)
    expect(await client.getTargetInfo(target)).toBeDefined()
  })

  it('accepts targets signed outside with the key root names, and refuses any other signer', async () => {
    const api = apiClient(backend.url, backend.caCertPem)
    const token = backend.firstAdminToken!
    const makeKey = () => {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519')
      const key = { keytype: 'ed25519' as const, scheme: 'ed25519' as const, keyval: { public: Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('hex') } }
      return { key, keyid: keyIdOf(key), sign: (signed: unknown) => sign(null, Buffer.from(canonicalJson(signed)), privateKey).toString('hex') }
    }
    const consoleKey = makeKey()
    const stranger = makeKey()
    expect((await api.post('/api/v1/tuf/rotate', { token, json: { role: 'targets', targetsKey: consoleKey.key } })).status).toBe(200)

    const draft = (await api.get('/api/v1/tuf/targets-draft', { token })).json
    expect(Object.keys(draft.targets)).toEqual([target])
    const forged = await api.post('/api/v1/tuf/targets', { token, json: { signed: draft, signatures: [{ keyid: stranger.keyid, sig: stranger.sign(draft) }] } })
    expect(forged).toMatchObject({ status: 400, json: { error: { message: 'targets metadata needs 1 valid signature(s) by the targets key in root; it has 0' } } })
    const accepted = await api.post('/api/v1/tuf/targets', { token, json: { signed: draft, signatures: [{ keyid: consoleKey.keyid, sig: consoleKey.sign(draft) }] } })
    expect(accepted).toMatchObject({ status: 200, json: { version: draft.version } })
    expect(
      (await api.post('/api/v1/tuf/targets', { token, json: { signed: draft, signatures: [{ keyid: consoleKey.keyid, sig: consoleKey.sign(draft) }] } })).json.error.message
    ).toMatch(/is not newer than/)

    await trustRoot('client-e')
    const client = updater('client-e')
    await client.refresh()
    expect((await client.getTargetInfo(target))?.hashes.sha256).toBe(draft.targets[target].hashes.sha256)
  })
})
