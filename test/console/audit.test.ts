import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { collectAuditEntries } from '../../src/core/audit/audit-export'
import type { AuditPage } from '../../src/shared/fleet/audit'
import { ipcClient } from '../support/clients'
import { apiClient } from '../support/https-client'
import { startPostgres, type RunningPostgres } from '../support/postgres'
import { signIn, value } from '../support/profiles'
import { tempDir } from '../support/temp-dir'

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const TRICKY_NAME = '=HYPERLINK("x"),整備士'

// The audit log as the console reads it, against a real backend on each storage engine: who did
// what is found by text, actor, action, outcome and time, paged, and exported as CSV.
describe.each(['sqlite', 'postgres'] as const)('the audit log from the console, backend on %s', (engine) => {
  const data = tempDir('ota-console-audit')
  let cluster: RunningPostgres | undefined
  let backend: RunningBackend
  let client: Awaited<ReturnType<typeof ipcClient>>
  let mid: string
  let start: string

  beforeAll(async () => {
    if (engine === 'postgres') cluster = await startPostgres()
    const database = cluster && (await cluster.database('audit'))
    backend = await startBackend({ dataDir: data.dir, database, log: () => {} })
    const admin = backend.firstAdminToken!
    const http = apiClient(backend.url, backend.caCertPem)
    start = new Date().toISOString()
    await pause(5)
    const viewer = (await http.post('/api/v1/tokens', { token: admin, json: { name: 'vera', role: 'viewer' } })).json.token
    expect((await http.post('/api/v1/tokens', { token: admin, json: { name: TRICKY_NAME, role: 'operator' } })).status).toBe(201)
    await pause(5)
    mid = new Date().toISOString()
    await pause(5)
    expect((await http.post('/api/v1/tokens', { token: viewer, json: { name: 'mallory', role: 'admin' } })).status).toBe(403)
    const release = { model: 'model_a', ecu: 'ECU_001', version: '1.0.0', hardware: ['hw-a1'], artifactSha256: randomBytes(32).toString('hex') }
    expect((await http.post('/api/v1/releases', { token: viewer, json: release })).status).toBe(403)
    expect((await http.post('/api/v1/releases', { token: admin, json: release })).status).toBe(404)

    client = await ipcClient()
    await signIn(client, backend, admin, 'Plant A')
  }, 60_000)
  afterAll(async () => {
    await client?.close()
    await backend?.close()
    await cluster?.stop()
    data.remove()
  })

  const query = async (filters: Parameters<typeof client.api.audit.query>[0]) => value(await client.api.audit.query(filters)).entries

  it('lists the log newest first, and narrows it by outcome, action, actor, text and time', async () => {
    const all = await query({})
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => b - a))
    expect(all.slice(0, 5).map((e) => [e.actor, e.action, e.outcome])).toEqual([
      ['admin', 'release.create', 'failed'],
      ['vera', 'release.create', 'denied'],
      ['vera', 'token.create', 'denied'],
      ['admin', 'token.create', 'ok'],
      ['admin', 'token.create', 'ok']
    ])

    const denied = await query({ outcome: 'denied' })
    expect(denied.map((e) => [e.actor, e.role, e.action, e.object])).toEqual([
      ['vera', 'viewer', 'release.create', '/api/v1/releases'],
      ['vera', 'viewer', 'token.create', '/api/v1/tokens']
    ])
    expect(denied[1]!.detail).toBe('Role viewer may not token.create; it needs admin')
    expect((await query({ action: 'release.create' })).map((e) => e.outcome)).toEqual(['failed', 'denied'])
    expect((await query({ action: 'release.create', outcome: 'failed' }))[0]!.detail).toMatch(/upload it first/)
    expect((await query({ actor: 'vera' })).length).toBe(2)
    expect(await query({ actor: 'ver' })).toEqual([])

    // Text anywhere in actor, action, object or detail; ASCII case does not matter; % and _ are literal.
    expect((await query({ q: '整備士' })).map((e) => e.object)).toEqual([TRICKY_NAME])
    expect((await query({ q: 'hyperlink' })).map((e) => e.object)).toEqual([TRICKY_NAME])
    expect((await query({ q: 'UPLOAD IT' })).map((e) => e.action)).toEqual(['release.create'])
    expect((await query({ q: 'role operator' })).map((e) => e.object)).toEqual([TRICKY_NAME])
    expect(await query({ q: '%' })).toEqual([])
    expect(await query({ q: 'role_viewer' })).toEqual([])
    expect(await query({ q: 'tokens\\' })).toEqual([])
    expect((await query({ q: 'VERA', outcome: 'denied', action: 'token.create' })).length).toBe(1)

    expect((await query({ since: mid })).map((e) => e.outcome)).toEqual(['failed', 'denied', 'denied'])
    expect((await query({ since: start, until: mid })).map((e) => e.object)).toEqual([TRICKY_NAME, 'vera'])
    expect(await query({ until: start, action: 'release.create' })).toEqual([])
  })

  it('pages with a cursor: every entry once, in order', async () => {
    const all = await query({ limit: 1000 })
    const seen: number[] = []
    let cursor: number | undefined
    do {
      const page: AuditPage = value(await client.api.audit.query({ limit: 2, cursor }))
      expect(page.entries.length).toBeLessThanOrEqual(2)
      seen.push(...page.entries.map((e) => e.id))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    expect(seen).toEqual(all.map((e) => e.id))
  })

  it('offers the action names the log holds, each once, in order', async () => {
    const { actions } = value(await client.api.audit.actions())
    expect(actions).toEqual([...new Set(actions)].sort())
    expect(actions).toEqual(expect.arrayContaining(['release.create', 'token.create']))
  })

  it('exports what the filters match as CSV, with progress, safe to open in a spreadsheet', async () => {
    const progress: unknown[] = []
    const stop = client.core.subscribe((event, payload) => event === 'audit.exportProgress' && progress.push(payload))
    const exported = value(await client.api.audit.exportCsv({ exportId: 'e1', action: 'token.create' }))
    stop()
    expect(exported).toMatchObject({ rows: 3, capped: false })
    expect(progress).toEqual([{ exportId: 'e1', rows: 3 }])
    const lines = exported.csv.split('\r\n')
    expect(lines[0]).toBe('\uFEFFid,time_utc,actor,role,action,object,outcome,detail')
    expect(lines).toHaveLength(5)
    expect(lines[1]).toMatch(/^\d+,\d{4}-\d\d-\d\dT[\d:.]+Z,vera,viewer,token\.create,\/api\/v1\/tokens,denied,Role viewer may not token\.create; it needs admin$/)
    expect(lines[2]).toMatch(/^\d+,[^,]+,admin,admin,token\.create,"'=HYPERLINK\(""x""\),整備士",ok,role operator$/)
    expect(lines[4]).toBe('')

    const everything = value(await client.api.audit.exportCsv({ exportId: 'e2' }))
    expect(everything.rows).toBe((await query({ limit: 1000 })).length)
  })

  it('stops an export at its limit and says it did', async () => {
    const http = apiClient(backend.url, backend.caCertPem)
    const page = async (cursor: number | undefined, limit: number): Promise<AuditPage> =>
      (await http.get(`/api/v1/audit?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { token: backend.firstAdminToken! })).json
    const counts: number[] = []
    const capped = await collectAuditEntries({ page, maxRows: 3, onProgress: (n) => counts.push(n) })
    expect(capped.entries.map((e) => e.id)).toEqual((await query({ limit: 3 })).map((e) => e.id))
    expect(capped.capped).toBe(true)
    expect(counts).toEqual([3])
    const total = (await query({ limit: 1000 })).length
    expect(await collectAuditEntries({ page, maxRows: total, onProgress: () => {} })).toMatchObject({ capped: false })
  })

  it('refuses a malformed filter, naming it', async () => {
    expect(await client.api.audit.query({ since: 'yesterday' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('since') } })
    expect(await client.api.audit.exportCsv({ exportId: '../x' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('exportId') } })
  })
})
