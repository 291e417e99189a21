// @vitest-environment happy-dom
import { act, Profiler, type ReactNode } from 'react'
import { createRoot } from 'react-dom/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/core/create-core'
import { createMemoryStore } from '../../src/core/secrets/memory-store'
import { buildApi, createListenerRegistry } from '../../src/shared/api'
import { JobSpec, type JobView } from '../../src/shared/fleet/jobs'
import type { JobRollup } from '../../src/shared/protocol/messages'
import { tempDir } from '../support/temp-dir'

/**
 * The renderer in a DOM, its window.ota built from the contract over a real core, exactly as the
 * browser bridge builds it. React's Profiler counts the renders each live event causes.
 */
// React's act() flushes effects and updates synchronously only where the environment says it is a test.
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

describe('what a live event re-renders', () => {
  const dir = tempDir('ota-render-counts')
  const listeners = createListenerRegistry()
  let core: Core
  let unmount = () => {}
  const renders: Record<string, number> = {}
  const counted = (id: string, child: ReactNode) => (
    <Profiler id={id} onRender={() => void (renders[id] = (renders[id] ?? 0) + 1)}>
      {child}
    </Profiler>
  )
  const job: JobView = {
    id: 'job_00000000000000aa',
    name: 'ECU_001 2.0.0',
    releaseId: 'rel_000000000000',
    state: 'running',
    reason: null,
    currentWave: 0,
    spec: JobSpec.parse({ name: 'ECU_001 2.0.0', releaseId: 'rel_000000000000', selection: {}, rollout: { waves: [{ size: { percent: 100 } }] } }),
    waves: [{ wave: 0, size: 100, startedAt: '2026-12-07T08:00:00.000Z', counts: { queued: 100 }, accepted: { failed: 0, finished: 0 } }],
    counts: { queued: 100 },
    failureCauses: {},
    createdAt: '2026-12-07T08:00:00.000Z',
    createdBy: 'admin',
    approval: null,
    delivery: { delta: 0, full: 0, fallback: 0, bytesSaved: 0 }
  }
  const rollup = (succeeded: number): JobRollup => ({
    jobId: job.id,
    state: 'running',
    reason: null,
    currentWave: 0,
    counts: { succeeded, queued: 100 - succeeded },
    waves: [{ wave: 0, size: 100, counts: { succeeded, queued: 100 - succeeded } }],
    failureCauses: {},
    ratePerMinute: 60,
    etaSeconds: 100 - succeeded,
    at: new Date(Date.parse('2026-12-07T08:00:00.000Z') + succeeded * 1000).toISOString()
  })
  const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 50)))

  beforeAll(async () => {
    core = await createCore({ dataDir: dir.dir, version: 'test', secrets: createMemoryStore(), log: () => {} })
    core.subscribe((event, payload) => listeners.deliver(event, payload))
    ;(window as unknown as { ota: unknown }).ota = buildApi({ invoke: core.dispatch, subscribe: listeners.add })
    // The renderer reads window.ota when its modules load, so they load now.
    const [{ JobDashboard }, { FleetTable }, { Sidebar }, { useJobs }] = await Promise.all([
      import('../../src/renderer/src/features/campaigns/JobDashboard'),
      import('../../src/renderer/src/features/fleet/FleetTable'),
      import('../../src/renderer/src/components/Sidebar'),
      import('../../src/renderer/src/features/campaigns/jobs-store')
    ])
    useJobs.setState({ jobs: [job], loaded: true, view: { kind: 'job', id: job.id } })
    const Dashboard = () => <JobDashboard job={useJobs((s) => s.jobs[0]!)} />
    const root = createRoot(document.body.appendChild(document.createElement('div')))
    await act(async () =>
      root.render(
        <>
          {counted('sidebar', <Sidebar />)}
          {counted('fleet table', <FleetTable />)}
          {counted('job dashboard', <Dashboard />)}
        </>
      )
    )
    unmount = () => root.unmount()
    await settle()
  })
  afterAll(async () => {
    unmount()
    await core?.close()
    dir.remove()
  })

  it('re-renders the job dashboard on job progress, not the fleet table or the sidebar', async () => {
    expect(renders['job dashboard']).toBeGreaterThan(0)
    for (const id of Object.keys(renders)) renders[id] = 0
    for (const succeeded of [10, 20, 30]) {
      await act(async () => listeners.deliver('jobs.rollups', { rollups: [rollup(succeeded)] }))
    }
    await settle()
    expect(renders).toEqual({ sidebar: 0, 'fleet table': 0, 'job dashboard': 3 })
    expect(document.body.textContent).toContain('30')
  })
})
