import { createHash, randomBytes } from 'node:crypto'
import { chmodSync, copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { openToken } from '../../src/crypto/pkcs11-token'
import { ipcClient, type ContractClient } from '../support/clients'
import { apiClient } from '../support/https-client'
import { keychainAccounts, filesContaining, signIn, value } from '../support/profiles'
import { softhsmToken } from '../support/softhsm'
import { tempDir } from '../support/temp-dir'
import { vehicleTuf } from '../support/vehicle-tuf'

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

// A release manager's smart card, as SoftHSM2 plays it: the console's release key made and kept
// on the token, every targets signature made there (a vehicle's TUF client verifies it), the PIN
// in the keychain only, and no backup of a key that cannot leave the token.
describe('the release key on a PKCS#11 token', () => {
  const data = tempDir('ota-release-token')
  const pin = 'card-pin-58213'
  const card = softhsmToken(join(data.dir, 'hsm'), 'release-card', pin)
  const settings = { module: card.module, token: 'release-card', label: 'ota-release-key' }
  let backend: RunningBackend
  let admin: ContractClient
  let profileId: string

  beforeAll(async () => {
    backend = await startBackend({ dataDir: join(data.dir, 'backend'), log: () => {} })
    admin = await ipcClient()
    profileId = await signIn(admin, backend, backend.firstAdminToken!, 'admin')
  }, 60_000)
  afterAll(async () => {
    await admin?.close()
    await backend?.close()
    data.remove()
  })

  it('refuses a wrong PIN, a token that is not there and a module anyone could have written, naming which; nothing is kept', async () => {
    const { api } = admin
    expect(await api.signing.useToken({ ...settings, pin: '0000' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^The release key's token cannot be used: token "release-card" refused the PIN: CKR_PIN_INCORRECT/) }
    })
    expect(await api.signing.useToken({ ...settings, token: 'other-card', pin })).toMatchObject({
      ok: false,
      // The module is named by its real path, links resolved: the file that was loaded.
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/token "other-card": \/\S+\/libsofthsm2\.so has no such token \(it has: "release-card"\)$/) }
    })
    const writable = join(data.dir, 'libcopied-pkcs11.so')
    copyFileSync(card.module, writable)
    chmodSync(writable, 0o666)
    expect(await api.signing.useToken({ ...settings, module: writable, pin })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: `The PKCS#11 module ${writable} can be written by other users; it is not loaded.` }
    })
    expect(await api.signing.useToken({ ...settings, module: 'libsofthsm2.so', pin })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('absolute path') }
    })
    expect(value(await api.signing.status())).toMatchObject({ key: null, location: { kind: 'keychain' } })
    expect((await keychainAccounts(profileId)).map((c) => c.account)).not.toContain(`profile/${profileId}/release-key-token`)
  })

  it('makes the key on the token; once an admin registers it, publishing signs targets there and a vehicle verifies them', async () => {
    const { api } = admin
    const chosen = value(await api.signing.useToken({ ...settings, pin }))
    expect(chosen).toMatchObject({ location: { kind: 'token', ...settings }, signer: 'other' })
    const onCard = openToken(card)
    try {
      expect(onCard.labels()).toEqual(expect.arrayContaining(['ota-release-key']))
      expect(onCard.ed25519('ota-release-key').publicKey.export({ format: 'jwk' }).x).toBe(Buffer.from(chosen.key!.publicKey.keyval.public, 'hex').toString('base64url'))
    } finally {
      onCard.close()
    }

    const registered = value(await api.signing.register())
    expect(registered).toMatchObject({ signer: 'console', pending: [], trustedKeyId: chosen.key!.keyid })
    const image = randomBytes(30_000)
    const { sha256: artifactSha256 } = (await apiClient(backend.url, backend.caCertPem).post('/api/v1/artifacts', { token: backend.firstAdminToken!, body: image })).json
    const release = value(await api.releases.create({ model: 'model_a', ecu: 'ECU_001', version: '4.2.0', hardware: ['hw-a1'], notes: 'signed on a card', artifactSha256 }))
    expect(value(await api.releases.publish({ id: release.id }))).toMatchObject({ signed: 'console', message: null })
    const tuf = await vehicleTuf(backend)
    expect(tuf.target('model_a/ECU_001/4.2.0.bin')?.custom).toMatchObject({ releaseId: release.id, plaintextSha256: sha256(image) })
    expect(tuf.state.targetsVersion).toBe(value(await api.signing.status()).targets!.version)
  })

  it('keeps the PIN in the keychain only, has no private key to back up, and goes back to the keychain key on request', async () => {
    const { api } = admin
    const accounts = await keychainAccounts(profileId)
    expect(accounts.map((c) => c.account)).not.toContain(`profile/${profileId}/release-key`)
    expect(JSON.parse(accounts.find((c) => c.account === `profile/${profileId}/release-key-token`)!.password)).toEqual({ ...settings, pin })
    expect(filesContaining(admin.dataDir, pin)).toEqual([])

    const refused = await api.signing.exportBackup({ passphrase: 'correct horse battery staple' })
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: expect.stringMatching(/^No backup file is made: this connection signs with key "ota-release-key" on token "release-card", which never leaves the token/)
      }
    })
    expect(await api.signing.importBackup({ pem: '-----BEGIN ENCRYPTED PRIVATE KEY-----', passphrase: 'x', replace: true })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringMatching(/^The backup is not restored/) }
    })

    const back = value(await api.signing.useKeychain())
    expect(back).toMatchObject({ location: { kind: 'keychain' }, key: null, signer: 'other' })
    expect((await keychainAccounts(profileId)).map((c) => c.account)).not.toContain(`profile/${profileId}/release-key-token`)
  })
})
