import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:https'
import { Agent } from 'node:https'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nodeBackendApi } from '../../src/net/https-transport'
import { pages } from '../../src/shared/http/client'
import { makePki, type TestPki } from '../support/pki'
import { tempDir } from '../support/temp-dir'

type Script = (req: IncomingMessage, res: ServerResponse, body: string) => void

/**
 * The one client of the backend's API against a real HTTPS server that plays a backend of
 * another version (or a broken proxy): each test scripts its answers and sees what arrived.
 */
describe('the HTTPS API client', () => {
  const dir = tempDir('ota-api-client')
  let pki: TestPki
  let script: Script = (_req, res) => res.writeHead(500).end()
  const seen: { method: string; url: string; authorization?: string; body: string }[] = []
  let server: ReturnType<typeof createServer>
  let url: string
  let agent: Agent

  beforeAll(async () => {
    pki = makePki(dir.dir)
    server = createServer({ cert: pki.serverCertPem, key: pki.serverKeyPem }, (req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c))
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, body })
        script(req, res, body)
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
    agent = new Agent({ ca: pki.caCertPem, keepAlive: true })
  })
  afterAll(async () => {
    agent.destroy()
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
    dir.remove()
  })

  const json = (res: ServerResponse, status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value))
  const api = (options: Parameters<typeof nodeBackendApi>[2] = {}) => nodeBackendApi(url, agent, { headers: { authorization: 'Bearer t0k' }, backoffMs: 5, ...options })
  const fresh = () => void (seen.length = 0)

  it('builds the path, the query and the body from the declaration, and sends the credential', async () => {
    fresh()
    script = (_req, res) => json(res, 200, { executions: [], nextCursor: null })
    await api().jobs.executions({ id: 'job_00000000000000aa' }, { state: 'failed', limit: 50 })
    script = (_req, res) => json(res, 200, { rootVersion: 2 })
    await expect(api().tuf.rotate({ role: 'timestamp' })).resolves.toEqual({ rootVersion: 2 })
    expect(seen).toEqual([
      { method: 'GET', url: '/api/v1/jobs/job_00000000000000aa/executions?state=failed&limit=50', authorization: 'Bearer t0k', body: '' },
      { method: 'POST', url: '/api/v1/tuf/rotate', authorization: 'Bearer t0k', body: '{"role":"timestamp"}' }
    ])
  })

  it('refuses an answer of another shape with an error that names the route and the field', async () => {
    script = (_req, res) => json(res, 200, { id: 'job_00000000000000aa', name: 'wave 1', state: 'exploding' })
    await expect(api().jobs.get({ id: 'job_00000000000000aa' })).rejects.toMatchObject({
      code: 'BACKEND_ERROR',
      message: expect.stringMatching(
        /^The backend's answer to jobs\.get \(GET \/api\/v1\/jobs\/job_00000000000000aa\) does not match the API \(\w+: .+\); is it a different version\?$/
      )
    })
    script = (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>proxy login</html>')
    await expect(api().vehicles.summary()).rejects.toMatchObject({
      code: 'BACKEND_ERROR',
      message: "The backend's answer to vehicles.summary (GET /api/v1/fleet/summary) is not JSON; is it a different version?"
    })
    // A status the route does not declare is another version too (create answers 201, not 200).
    script = (_req, res) => json(res, 200, {})
    await expect(api().policies.create({ name: 'p', kind: 'template' } as never)).rejects.toMatchObject({
      code: 'BACKEND_ERROR',
      message: expect.stringContaining('HTTP 200, which this API does not declare')
    })
  })

  it("maps the backend's refusals to the contract's errors, keeping its message and status", async () => {
    const cases = [
      [404, 'not-found', 'NOT_FOUND'],
      [409, 'conflict', 'CONFLICT'],
      [403, 'forbidden', 'FORBIDDEN'],
      [400, 'bad-request', 'INVALID_INPUT'],
      [504, 'timeout', 'TIMEOUT']
    ] as const
    for (const [status, code, ours] of cases) {
      script = (_req, res) => json(res, status, { error: { code, message: `said with ${status}` } })
      await expect(api().releases.withdraw({ id: 'rel_000000000000' })).rejects.toMatchObject({ code: ours, message: `said with ${status}`, status, apiCode: code })
    }
    script = (_req, res) => res.writeHead(401).end()
    await expect(api().identity.me()).rejects.toMatchObject({ code: 'AUTH_REJECTED', message: 'The backend answered identity.me (GET /api/v1/me) with HTTP 401', status: 401 })
  })

  it('retries an idempotent call after a 503 with backoff, and never a POST', async () => {
    let calls = 0
    script = (_req, res) => (++calls < 3 ? res.writeHead(503).end() : json(res, 200, { total: 3, online: 1, byModel: {}, at: new Date().toISOString() }))
    await expect(api().vehicles.summary()).resolves.toMatchObject({ total: 3 })
    expect(calls).toBe(3)
    calls = 0
    script = (_req, res) => (++calls, res.writeHead(503).end())
    await expect(api().jobs.dryRun({} as never)).rejects.toMatchObject({ code: 'BACKEND_ERROR', status: 503 })
    expect(calls).toBe(1)
    calls = 0
    await expect(api({ attempts: 2 }).vehicles.summary()).rejects.toMatchObject({ status: 503 })
    expect(calls).toBe(2)
  })

  it('says when the backend cannot be reached, does not answer in time, or the caller canceled', async () => {
    const nobody = nodeBackendApi('https://127.0.0.1:1', agent, { backoffMs: 5 })
    await expect(nobody.vehicles.summary()).rejects.toMatchObject({
      code: 'BACKEND_UNREACHABLE',
      message: expect.stringMatching(/^The backend at https:\/\/127\.0\.0\.1:1 could not be reached: .*ECONNREFUSED/)
    })
    script = () => {}
    await expect(api({ timeoutMs: 150 }).vehicles.summary()).rejects.toMatchObject({ code: 'BACKEND_UNREACHABLE', message: expect.stringContaining('no answer within 150 ms') })
    const abort = new AbortController()
    const call = api().vehicles.summary({ signal: abort.signal })
    setTimeout(() => abort.abort(), 50)
    await expect(call).rejects.toMatchObject({ code: 'CANCELED', message: 'vehicles.summary (GET /api/v1/fleet/summary) was canceled' })
  })

  it('walks cursor pages until the backend says there is no next', async () => {
    fresh()
    const vehicle = (vin: string) => ({ vin, model: 'model_a', region: 'eu', tags: [], online: true, lastSeen: null })
    script = (req, res) => {
      const cursor = new URL(req.url!, 'https://x').searchParams.get('cursor')
      json(res, 200, cursor ? { vehicles: [vehicle('WVWZZZ1JZXW000002')], nextCursor: null } : { vehicles: [vehicle('WVWZZZ1JZXW000001')], nextCursor: 'WVWZZZ1JZXW000001' })
    }
    const got: string[] = []
    for await (const page of pages(api().vehicles.list, { limit: 1 })) got.push(...page.vehicles.map((v) => v.vin))
    expect(got).toEqual(['WVWZZZ1JZXW000001', 'WVWZZZ1JZXW000002'])
    expect(seen.map((s) => s.url)).toEqual(['/api/v1/vehicles?limit=1', '/api/v1/vehicles?limit=1&cursor=WVWZZZ1JZXW000001'])
  })
})
