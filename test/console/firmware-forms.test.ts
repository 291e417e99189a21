import { describe, expect, it } from 'vitest'
import { validateRelease } from '../../src/renderer/src/features/firmware/release-form'
import { groupReleases } from '../../src/renderer/src/features/firmware/releases-by-group'
import { createSpeedMeter, secondsLeft } from '../../src/renderer/src/features/firmware/upload-progress'
import type { ReleaseView } from '../../src/shared/fleet/catalog'

const SHA = 'e'.repeat(64)

describe('the firmware screen’s logic', () => {
  it('says what is wrong with each release field, and builds the release when all are right', () => {
    expect(validateRelease({ model: '', ecu: 'ECU1', version: '2.1', hardware: ' , ', notes: '', channels: 'Beta!' }, SHA).errors).toEqual({
      model: 'fwModelRequired',
      ecu: 'fwEcuInvalid',
      version: 'fwVersionInvalid',
      hardware: 'fwHardwareRequired',
      channels: 'fwChannelsInvalid'
    })
    expect(validateRelease({ model: 'Model A', ecu: '', version: '', hardware: 'x'.repeat(65), notes: '', channels: 'stable' }, SHA).errors).toEqual({
      model: 'fwModelInvalid',
      ecu: 'fwEcuRequired',
      version: 'fwVersionRequired',
      hardware: 'fwHardwareTooLong'
    })
    expect(validateRelease({ model: ' model_a ', ecu: 'ECU_001', version: '2.1.0', hardware: 'hw-a, hw-b\nhw-a', notes: ' fix ', channels: 'beta, beta' }, SHA)).toEqual({
      release: { model: 'model_a', ecu: 'ECU_001', version: '2.1.0', hardware: ['hw-a', 'hw-b'], notes: 'fix', artifactSha256: SHA, channels: ['beta'] },
      errors: {}
    })
  })

  it('groups releases by model and ECU, newest version first in semantic order', () => {
    const r = (model: string, ecu: string, version: string) => ({ id: `rel_${model}${ecu}${version}`, model, ecu, version }) as ReleaseView
    const groups = groupReleases([
      r('model_b', 'ECU_001', '1.0.0'),
      r('model_a', 'ECU_002', '1.0.0'),
      r('model_a', 'ECU_001', '1.9.0'),
      r('model_a', 'ECU_001', '1.10.0'),
      r('model_a', 'ECU_001', '1.10.0-rc.1'),
      r('model_a', 'ECU_001', '1.10.0-rc.10'),
      r('model_a', 'ECU_001', '1.10.0-rc.9')
    ])
    expect(groups.map((g) => [g.model, g.ecus.map((e) => [e.ecu, e.releases.map((x) => x.version)])])).toEqual([
      [
        'model_a',
        [
          ['ECU_001', ['1.10.0', '1.10.0-rc.10', '1.10.0-rc.9', '1.10.0-rc.1', '1.9.0']],
          ['ECU_002', ['1.0.0']]
        ]
      ],
      ['model_b', [['ECU_001', ['1.0.0']]]]
    ])
  })

  it('measures upload speed over the last seconds, so a stall shows within the window', () => {
    let now = 0
    const speed = createSpeedMeter(3000, () => now)
    now = 1000
    expect(speed(2_000_000)).toBe(2_000_000)
    now = 2000
    expect(speed(4_000_000)).toBe(2_000_000)
    now = 6000
    expect(speed(4_000_000)).toBe(0)
    expect(secondsLeft(4_000_000, 10_000_000, 2_000_000)).toBe(3)
  })
})
