import { describe, expect, it } from 'vitest'
import { blockerText, diffVci, evaluateSet, installOrder, type SetMember, type VciEcu } from './release-sets'

const ecu = (id: string, zone: string, software = '1.0.0', hardware = `hw-${id}`): VciEcu => ({ ecu: id, zone, hardware, software, serial: `SN-${id}` })
const member = (id: string, version: string, after: string[] = []): SetMember => ({
  releaseId: `rel_${id.toLowerCase().replace('_', '')}0000000`,
  ecu: id,
  version,
  hardware: [`hw-${id}`],
  after
})
const vehicle = [ecu('GATEWAY', ''), ecu('ECU_001', 'ZGW_01'), ecu('ECU_002', 'ZGW_02'), ecu('ECU_003', 'ZGW_01'), ecu('ECU_004', 'ZGW_02', '2.1.0')]

describe('installOrder', () => {
  it('keeps every "after", breaking ties by ECU id', () => {
    expect(installOrder([member('ECU_003', '2.0.0', ['ECU_001']), member('ECU_001', '2.0.0', ['ECU_002']), member('ECU_002', '2.0.0')])).toEqual({
      order: ['ECU_002', 'ECU_001', 'ECU_003']
    })
  })
  it('names a cycle, an unknown ECU and an ECU given twice', () => {
    expect(installOrder([member('ECU_001', '2.0.0', ['ECU_002']), member('ECU_002', '2.0.0', ['ECU_001']), member('ECU_003', '2.0.0')])).toEqual({
      error: 'the install order has a cycle among ECU_001, ECU_002'
    })
    expect(installOrder([member('ECU_001', '2.0.0', ['ECU_009'])])).toEqual({ error: 'ECU_001 installs after ECU_009, which is not in the set' })
    expect(installOrder([member('ECU_001', '2.0.0'), member('ECU_001', '2.1.0')])).toEqual({ error: 'ECU_001 is in the set twice' })
  })
})

describe('evaluateSet', () => {
  it('assembles one package per zonal gateway, in install order, leaving out what is installed already', () => {
    const set = {
      members: [member('ECU_001', '2.0.0', ['ECU_002']), member('ECU_002', '2.0.0'), member('ECU_003', '1.0.0', ['ECU_001'])],
      requires: [{ ecu: 'ECU_004', range: '^2.0.0' }]
    }
    expect(evaluateSet(set, vehicle)).toEqual({
      compatible: true,
      alreadyInstalled: ['ECU_003'],
      zones: [
        { zone: 'ZGW_01', steps: [{ ecu: 'ECU_001', releaseId: set.members[0]!.releaseId, from: '1.0.0', to: '2.0.0', after: ['ECU_002'] }] },
        { zone: 'ZGW_02', steps: [{ ecu: 'ECU_002', releaseId: set.members[1]!.releaseId, from: '1.0.0', to: '2.0.0', after: [] }] }
      ]
    })
  })

  it('names every blocker: a missing ECU, other hardware, a version required, a downgrade', () => {
    const other = vehicle.map((e) => (e.ecu === 'ECU_002' ? { ...e, hardware: 'hw-old' } : e))
    const set = {
      members: [member('ECU_002', '2.0.0'), member('ECU_004', '2.0.0'), member('ECU_007', '1.1.0')],
      requires: [
        { ecu: 'ECU_001', range: '>=1.5.0' },
        { ecu: 'ECU_002', range: '>=2.0.0' }
      ]
    }
    const verdict = evaluateSet(set, other)
    expect(verdict).toEqual({
      compatible: false,
      blockers: [
        { ecu: 'ECU_002', kind: 'hardware-mismatch', found: 'hw-old', needed: 'hw-ECU_002' },
        { ecu: 'ECU_004', kind: 'downgrade', found: '2.1.0', needed: '2.0.0' },
        { ecu: 'ECU_007', kind: 'ecu-missing', found: null, needed: 'hw-ECU_007' },
        // The set brings ECU_002 2.0.0, so that requirement holds; ECU_001's does not.
        { ecu: 'ECU_001', kind: 'version-required', found: '1.0.0', needed: '>=1.5.0' }
      ]
    })
    if (!verdict.compatible) expect(verdict.blockers.map(blockerText)).toContain('ECU_001 runs 1.0.0; the set needs >=1.5.0')
  })
})

describe('diffVci', () => {
  it('names each ECU added, removed, or changed, with the fields that changed', () => {
    const later = [...vehicle.filter((e) => e.ecu !== 'ECU_003').map((e) => (e.ecu === 'ECU_001' ? { ...e, software: '2.0.0', serial: 'SN-NEW' } : e)), ecu('ECU_005', 'ZGW_02')]
    expect(diffVci(vehicle, later)).toEqual([
      {
        ecu: 'ECU_001',
        change: 'changed',
        fields: [
          { field: 'software', before: '1.0.0', after: '2.0.0' },
          { field: 'serial', before: 'SN-ECU_001', after: 'SN-NEW' }
        ]
      },
      { ecu: 'ECU_003', change: 'removed', fields: expect.arrayContaining([{ field: 'software', before: '1.0.0', after: null }]) },
      { ecu: 'ECU_005', change: 'added', fields: expect.arrayContaining([{ field: 'zone', before: null, after: 'ZGW_02' }]) }
    ])
    expect(diffVci(vehicle, vehicle)).toEqual([])
  })
})
