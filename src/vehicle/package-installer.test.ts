import { describe, expect, it } from 'vitest'
import type { OfferedUpdate } from '../shared/fleet/device'
import type { EcuReport, PackageProgress, UpdatePackage } from '../shared/protocol/messages'
import { createPackageInstaller } from './package-installer'

const offer = (ecu: string): OfferedUpdate => ({
  releaseId: `rel_${ecu.toLowerCase().replace('_', '')}00000000`,
  ecu,
  version: '2.0.0',
  url: '/x',
  sha256: '0'.repeat(64),
  size: 1,
  targetPath: `m/${ecu}/2.0.0.bin`,
  dataKey: { kem: 'x-wing', ciphertext: '', nonce: '', wrapped: '' } as unknown as OfferedUpdate['dataKey']
})
const ecu = (id: string): EcuReport => ({ id, logicalAddress: 0x1000, hardware: 'hw', software: '1.0.0' })

/** Two zonal gateways of two ECUs each; `started` records the order images were asked for. */
function rig(opts: { gate?: (id: string) => Promise<void> } = {}) {
  const zones = [
    { id: 'ZGW_01', ecus: [ecu('ECU_001'), ecu('ECU_003')] },
    { id: 'ZGW_02', ecus: [ecu('ECU_002'), ecu('ECU_004')] }
  ]
  const started: string[] = []
  const reports: PackageProgress[] = []
  const install = createPackageInstaller({
    zones: () => zones,
    verifiedImage: async (o) => {
      started.push(o.ecu)
      await opts.gate?.(o.ecu)
      return { image: Buffer.from(o.ecu), version: o.version }
    },
    flash: async () => {},
    progress: async () => {},
    publish: async (p) => void reports.push(p),
    reportConfig: async () => {}
  })
  const pkg = (steps: Record<string, { ecu: string; after?: string[] }[]>, requires: UpdatePackage['requires'] = []): UpdatePackage => ({
    deploymentId: 'dep_0000000000000001',
    setId: 'rset_0000000000000001',
    name: 'set',
    version: '2.0.0',
    requires,
    zones: Object.entries(steps).map(([zone, s]) => ({ zone, steps: s.map((x) => ({ offer: offer(x.ecu), after: x.after ?? [] })) })),
    at: new Date().toISOString()
  })
  const versions = () => Object.fromEntries(zones.flatMap((z) => z.ecus.map((e) => [e.id, e.software])))
  return { install, pkg, started, reports, versions }
}

describe('a release set on the vehicle gateway', () => {
  it('installs the zones in parallel: each zone starts without waiting for the other', async () => {
    // ECU_001 finishes only once ECU_002 (the other zone) has started: a serial gateway would hang.
    let release!: () => void
    const otherZoneStarted = new Promise<void>((r) => (release = r))
    const r = rig({ gate: async (id) => (id === 'ECU_001' ? otherZoneStarted : id === 'ECU_002' ? release() : undefined) })
    const done = r.install(r.pkg({ ZGW_01: [{ ecu: 'ECU_001' }], ZGW_02: [{ ecu: 'ECU_002' }] }), new Map())
    await expect(Promise.race([done.then(() => 'done'), new Promise((resolve) => setTimeout(() => resolve('hung'), 2000))])).resolves.toBe('done')
    expect(r.reports.at(-1)!.state).toBe('succeeded')
  })

  it('waits for the ECUs named in "after", across zones', async () => {
    const r = rig()
    await r.install(
      r.pkg({ ZGW_01: [{ ecu: 'ECU_001', after: ['ECU_004'] }, { ecu: 'ECU_003' }], ZGW_02: [{ ecu: 'ECU_002' }, { ecu: 'ECU_004', after: ['ECU_002'] }] }),
      new Map()
    )
    expect(r.started.indexOf('ECU_004')).toBeGreaterThan(r.started.indexOf('ECU_002'))
    expect(r.started.indexOf('ECU_001')).toBeGreaterThan(r.started.indexOf('ECU_004'))
    expect(r.versions()).toEqual({ ECU_001: '2.0.0', ECU_002: '2.0.0', ECU_003: '2.0.0', ECU_004: '2.0.0' })
  })

  it('on a failure starts nothing more, rolls back what installed, and names the ECU and cause', async () => {
    const r = rig()
    await r.install(
      r.pkg({ ZGW_01: [{ ecu: 'ECU_001' }, { ecu: 'ECU_003', after: ['ECU_002'] }], ZGW_02: [{ ecu: 'ECU_002' }, { ecu: 'ECU_004', after: ['ECU_002'] }] }),
      new Map([['ECU_002', 'install-error']])
    )
    const last = r.reports.at(-1)!
    expect(last.state).toBe('rolled-back')
    expect(last.failed).toEqual({ ecu: 'ECU_002', cause: 'install-error', detail: 'ECU_002 rejected the image while flashing' })
    expect(Object.fromEntries(last.ecus.map((e) => [e.ecu, e.state]))).toEqual({ ECU_001: 'rolled-back', ECU_002: 'failed', ECU_003: 'skipped', ECU_004: 'skipped' })
    expect(r.versions()).toEqual({ ECU_001: '1.0.0', ECU_002: '1.0.0', ECU_003: '1.0.0', ECU_004: '1.0.0' })
  })

  it('refuses a package whose requirements its own configuration does not meet, installing nothing', async () => {
    const r = rig()
    await r.install(r.pkg({ ZGW_01: [{ ecu: 'ECU_001' }] }, [{ ecu: 'ECU_004', range: '>=2.0.0' }]), new Map())
    expect(r.started).toEqual([])
    expect(r.reports).toEqual([expect.objectContaining({ state: 'blocked', blockers: [{ ecu: 'ECU_004', kind: 'version-required', found: '1.0.0', needed: '>=2.0.0' }] })])
  })
})
