import { describe, expect, it } from 'vitest'
import { compareVersions } from './version'

const sorted = (versions: string[]) => [...versions].sort(compareVersions)

describe('compareVersions', () => {
  it('orders numbers as numbers and pre-releases by their numeric parts', () => {
    expect(sorted(['2.0.0', '2.0.0-rc.10', '10.0.0', '2.0.0-rc.9', '1.10.0', '1.9.0', '2.0.0-beta.2'])).toEqual([
      '1.9.0',
      '1.10.0',
      '2.0.0-beta.2',
      '2.0.0-rc.9',
      '2.0.0-rc.10',
      '2.0.0',
      '10.0.0'
    ])
  })

  it('is total: build metadata breaks a tie, and text that is not semver goes last by its text', () => {
    expect(sorted(['1.0.0+b2', 'nightly', '1.0.0+b1', 'abc', '0.1.0'])).toEqual(['0.1.0', '1.0.0+b1', '1.0.0+b2', 'abc', 'nightly'])
    expect(compareVersions('1.0.0', '1.0.0')).toBe(0)
  })
})
