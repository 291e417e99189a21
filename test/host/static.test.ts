import { request } from 'node:http'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/core/create-core'
import { startHost, type RunningHost } from '../../src/host/server'
import { tempDir } from '../support/temp-dir'

const get = (port: number, path: string, headers: Record<string, string> = {}, method = 'GET') =>
  new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = ''
      res.on('data', (c) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })

describe('the browser host serving the renderer', () => {
  const data = tempDir('ota-static')
  const renderer = join(data.dir, 'renderer')
  let core: Core
  let host: RunningHost

  beforeAll(async () => {
    mkdirSync(join(renderer, 'assets'), { recursive: true })
    writeFileSync(join(renderer, 'index.html'), '<html><head><script type="module" src="./assets/app.js"></script></head><body></body></html>')
    writeFileSync(join(renderer, 'assets/app.js'), 'console.log(1)')
    writeFileSync(join(data.dir, 'secret.txt'), 'outside the renderer')
    writeFileSync(join(data.dir, 'bridge.js'), 'window.ota = {}')
    core = await createCore({ dataDir: join(data.dir, 'store'), version: 'test', log: () => {} })
    host = await startHost({ core, rendererDir: renderer, bridgeFile: join(data.dir, 'bridge.js') })
  })
  afterAll(async () => {
    await host.close()
    core.close()
    data.remove()
  })

  it('serves index.html with the bridge script and a strict CSP', async () => {
    const res = await get(host.port, '/')
    expect(res.status).toBe(200)
    expect(res.body).toContain('<script src="/ota-bridge.js"></script>\n  </head>')
    expect(res.headers['content-security-policy']).toBe(
      `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:${host.port}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'`
    )
    expect((await get(host.port, '/ota-bridge.js')).body).toBe('window.ota = {}')
    expect((await get(host.port, '/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8')
  })

  it('serves nothing outside the renderer folder', async () => {
    expect((await get(host.port, '/../secret.txt')).status).toBe(404)
    expect((await get(host.port, '/%2e%2e/secret.txt')).status).toBe(404)
    expect((await get(host.port, '/assets/missing.js')).status).toBe(404)
  })

  it('refuses a foreign Host header (DNS rebinding) and methods other than GET', async () => {
    expect((await get(host.port, '/', { host: `evil.example:${host.port}` })).status).toBe(421)
    expect((await get(host.port, '/', {}, 'POST')).status).toBe(405)
  })

  it('says how to build when the renderer is missing', async () => {
    const bare = await startHost({ core, rendererDir: join(data.dir, 'nope'), bridgeFile: join(data.dir, 'nope.js') })
    try {
      const res = await get(bare.port, '/')
      expect(res.status).toBe(503)
      expect(res.body).toMatch(/run `npm run build`/)
    } finally {
      await bare.close()
    }
  })
})
