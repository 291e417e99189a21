// The fleet table at 100,000 vehicles: frame times while scrolling it in Chromium, and the
// console's memory (renderer JS heap + core heap) with that fleet open.
import { fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Page } from '@playwright/test'
import { tempDir } from '../test/support/temp-dir'
import { percentile, quick } from './lib/support'

const ROWS = quick ? 5_000 : 100_000
const SCROLL_MS = quick ? 1_500 : 8_000
const MB = 1024 * 1024
const round = (n: number, digits = 1) => Number(n.toFixed(digits))

interface Stats {
  heapUsed: number
  rss: number
  windows: number
  windowP95: number
  orderMax: number
  facetsMax: number
}

/** What the page-side code uses of the DOM: this program is typed for Node, not the browser. */
interface Box {
  id: string
  scrollTop: number
  readonly scrollHeight: number
  readonly clientHeight: number
  style: Record<string, string>
  querySelector(selector: string): Box | null
  getBoundingClientRect(): { left: number; top: number; width: number; height: number }
  append(child: Box): void
  remove(): void
}
interface PageGlobals {
  document: { body: Box; querySelector(selector: string): Box | null; getElementById(id: string): Box | null; createElement(tag: string): Box }
  requestAnimationFrame(callback: (now: number) => void): number
}

/**
 * rAF deltas while the page scrolls an element: steadily (2,000 px/s) with a jump to a random
 * place every 500 ms, as a scrollbar drag does. Chromium runs without its frame-rate limit, so a
 * delta is the time a frame took, not the display's 16.7 ms interval.
 */
const measureFrames = (page: Page, durationMs: number, selector: string) =>
  page.evaluate(
    ({ durationMs, selector }) =>
      new Promise<{ deltas: number[]; loadingFrames: number }>((resolve) => {
        const w = globalThis as unknown as PageGlobals
        const grid = w.document.querySelector(selector)!
        const max = grid.scrollHeight - grid.clientHeight
        const deltas: number[] = []
        let loadingFrames = 0
        let seed = 7
        const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647
        let position = grid.scrollTop
        let last = 0
        let end = 0
        let nextJump = 0
        const frame = (now: number) => {
          deltas.push(now - last)
          if (grid.querySelector('[aria-busy=true]')) loadingFrames++
          position = now >= nextJump ? random() * max : (position + 2 * (now - last)) % max
          if (now >= nextJump) nextJump = now + 500
          grid.scrollTop = position
          last = now
          if (now < end) w.requestAnimationFrame(frame)
          else resolve({ deltas, loadingFrames })
        }
        w.requestAnimationFrame((now) => {
          last = now
          end = now + durationMs
          nextJump = now + 500
          w.requestAnimationFrame(frame)
        })
      }),
    { durationMs, selector }
  )

/** The baseline: a plain box as large as the grid, over it, with as tall a striped body and no script. */
const addPlainScroller = (page: Page) =>
  page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals
    const grid = document.querySelector('[role=grid]')!
    const box = grid.getBoundingClientRect()
    const plain = document.createElement('div')
    plain.id = 'bench-plain'
    Object.assign(plain.style, {
      position: 'fixed',
      left: `${box.left}px`,
      top: `${box.top}px`,
      width: `${box.width}px`,
      height: `${box.height}px`,
      overflow: 'auto',
      background: 'white',
      zIndex: '10'
    })
    const body = document.createElement('div')
    Object.assign(body.style, { height: `${grid.scrollHeight}px`, background: 'repeating-linear-gradient(white 0 33px, #d5dae1 33px 34px)' })
    plain.append(body)
    document.body.append(plain)
  })

async function rendererHeap(page: Page) {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('HeapProfiler.collectGarbage')
  await cdp.send('Performance.enable')
  const { metrics } = await cdp.send('Performance.getMetrics')
  await cdp.detach()
  return metrics.find((m) => m.name === 'JSHeapUsedSize')!.value
}

async function main() {
  if (!existsSync(join(__dirname, '../out/renderer/index.html'))) {
    console.error('fleet-table needs the built renderer: run `npm run build:app` first')
    process.exit(1)
  }
  const data = tempDir('ota-bench-fleet-table')
  const app = fork(join(__dirname, 'lib/fleet-host.ts'), [String(ROWS), data.dir], { execArgv: ['--expose-gc', '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: { type: string }) => m.type === type && (app.off('message', onMessage), resolve(m as T))
      app.on('message', onMessage)
      app.once('exit', (code) => reject(new Error(`the console under test exited (${code})`)))
    })
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-frame-rate-limit',
      '--disable-gpu-vsync'
    ]
  })
  try {
    const { url, seedMs } = await next<{ url: string; seedMs: number }>('ready')
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    // tsx names functions with an __name helper, which the code sent to page.evaluate then calls.
    await page.addInitScript({ content: 'globalThis.__name = (f) => f' })
    await page.goto(url)
    const started = performance.now()
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Fleet' }).click()
    const grid = page.getByRole('grid', { name: 'Vehicles' })
    await page.locator(`[role=grid][aria-rowcount="${ROWS + 1}"]`).waitFor({ timeout: 60_000 })
    await page.locator('[role=grid] [role=row][aria-rowindex="2"]:not([aria-busy])').waitFor()
    const openMs = performance.now() - started

    await addPlainScroller(page)
    const plain = await measureFrames(page, SCROLL_MS, '#bench-plain')
    await page.evaluate(() => (globalThis as unknown as PageGlobals).document.getElementById('bench-plain')!.remove())
    app.send({ type: 'scrolling' })
    const scrolled = await measureFrames(page, SCROLL_MS, '[role=grid]')
    app.send({ type: 'scrolled' })
    const rendererBytes = await rendererHeap(page)

    // A new filter and a new sort: the first window of each computes its order over the whole copy.
    await page.getByLabel('Model', { exact: true }).selectOption('model_b')
    await page.getByLabel('Status', { exact: true }).selectOption('online')
    await page.getByText(`${(ROWS / 5).toLocaleString('en')} vehicles`, { exact: true }).waitFor()
    await grid.getByRole('columnheader', { name: 'Last seen' }).getByRole('button').click()
    await page.locator('[role=grid] [role=row][aria-rowindex="2"]:not([aria-busy])').waitFor()

    app.send({ type: 'stats' })
    const core = await next<Stats>('stats')
    const p95 = percentile(scrolled.deltas, 0.95)
    const plainP95 = percentile(plain.deltas, 0.95)
    console.log(
      JSON.stringify({
        rows: ROWS,
        p95_frame_ms: round(p95),
        max_frame_ms: round(Math.max(...scrolled.deltas)),
        frames: scrolled.deltas.length,
        loading_frames_pct: round((100 * scrolled.loadingFrames) / scrolled.deltas.length),
        plain_p95_frame_ms: round(plainP95),
        frame_ratio: round(p95 / plainP95, 2),
        heap_mb: round((rendererBytes + core.heapUsed) / MB),
        renderer_heap_mb: round(rendererBytes / MB),
        core_heap_mb: round(core.heapUsed / MB),
        core_rss_mb: round(core.rss / MB),
        window_ms_p95: round(core.windowP95, 2),
        windows: core.windows,
        new_order_ms_max: round(core.orderMax),
        facets_ms: round(core.facetsMax),
        open_ms: Math.round(openMs),
        seed_ms: Math.round(seedMs)
      })
    )
  } finally {
    await browser.close()
    app.send({ type: 'stop' })
    await new Promise((r) => app.once('exit', r))
    data.remove()
  }
}
main().catch((err: Error) => {
  console.error(err.stack ?? err.message)
  process.exit(1)
})
