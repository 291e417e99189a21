import { spawn, spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { apiClient } from '../support/https-client'
import { tempDir } from '../support/temp-dir'
import { enrolledVehicle } from '../support/vehicle-keys'

const root = join(__dirname, '../..')
const st = join(root, '.venv/fuzzer/bin/st')
const roles = ['admin', 'release-manager', 'operator', 'viewer', 'device'] as const

/** Runs Schemathesis without blocking this process, which serves the backend it calls. */
const fuzz = (args: string[], cwd: string) =>
  new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(st, args, { cwd, env: { ...process.env, NO_COLOR: '1' } })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
  })

// Property-based requests built from docs/openapi.json, with every role's credential: the backend
// must never fail (5xx), never hang, and answer each one as the document says.
describe('the backend against its OpenAPI document', () => {
  const data = tempDir('ota-fuzz')
  const tokens: Record<string, string> = {}
  const failures: string[] = []
  let backend: RunningBackend
  let caFile: string
  let api: ReturnType<typeof apiClient>
  /**
   * The vehicle calls on its device certificate, with no token. It enrols when its turn comes: the
   * other roles' runs find certificate serials in answers and may revoke them.
   */
  const enrolDevice = async () => {
    const { identity } = await enrolledVehicle(api, tokens.admin!, { vin: 'WDB1234567890FUZZ', model: 'model_a', region: 'eu' })
    writeFileSync(join(data.dir, 'device.crt'), identity.certPem)
    writeFileSync(join(data.dir, 'device.key'), identity.keyPem, { mode: 0o600 })
  }

  beforeAll(async () => {
    const setup = spawnSync('bash', [join(root, 'scripts/setup-fuzzer')], { encoding: 'utf8' })
    if (setup.status !== 0) throw new Error(`scripts/setup-fuzzer failed: ${setup.stderr}`)
    backend = await startBackend({ dataDir: data.dir, port: 0, mqttPort: 0, maxUploadBytes: 1024 * 1024, log: (line) => failures.push(line) })
    caFile = join(data.dir, 'fuzz-ca.pem')
    writeFileSync(caFile, backend.caCertPem)
    api = apiClient(backend.url, backend.caCertPem)
    tokens.admin = backend.firstAdminToken!
    for (const role of ['release-manager', 'operator', 'viewer'])
      tokens[role] = (await api.post('/api/v1/tokens', { token: tokens.admin, json: { name: `fuzz-${role}`, role } })).json.token
    for (const role of roles.filter((r) => r !== 'device')) expect(tokens[role], role).toMatch(/^ota_/)
  }, 120_000)
  afterAll(async () => {
    await backend?.close()
    data.remove()
  })

  it.each(roles)(
    'as %s',
    async (role) => {
      failures.length = 0
      if (role === 'device') await enrolDevice()
      const { code, output } = await fuzz(
        [
          '--config-file',
          join(__dirname, 'schemathesis.toml'),
          'run',
          join(root, 'docs/openapi.json'),
          '--url',
          backend.url,
          '--tls-verify',
          caFile,
          ...(role === 'device'
            ? ['--request-cert', join(data.dir, 'device.crt'), '--request-cert-key', join(data.dir, 'device.key')]
            : ['--header', `Authorization: Bearer ${tokens[role]}`]),
          '--checks',
          'not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance',
          '--phases',
          'examples,coverage,fuzzing',
          '--max-examples',
          '15',
          '--seed',
          '13',
          '--generation-database',
          'none',
          '--request-timeout',
          '10',
          '--workers',
          '1',
          '--no-color'
          // In the throwaway data directory: Schemathesis keeps a cache of earlier failures where it runs.
        ],
        data.dir
      )
      expect({ code, backendLog: failures }, output).toEqual({ code: 0, backendLog: [] })
    },
    120_000
  )
})
