import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runSteps } from '../../scripts/test-steps'
import { tempDir } from '../support/temp-dir'

const node = process.execPath
const exit = (code: number) => [node, '-e', `process.exit(${code})`]
const writes = (file: string, report: object, code: number) => [
  node,
  '-e',
  `require('fs').writeFileSync(${JSON.stringify(file)}, ${JSON.stringify(JSON.stringify(report))}); process.exit(${code})`
]

describe('the test command', () => {
  it('runs every step after a failure and still ends on the closing line, the failed step counted and named', () => {
    const dir = tempDir('ota-steps')
    try {
      const vitest = join(dir.dir, 'vitest.json')
      const lines: string[] = []
      const result = runSteps(
        [
          { name: 'typecheck', command: exit(2) },
          { name: 'unit', command: writes(vitest, { numPassedTests: 7, numFailedTests: 1, numPendingTests: 2, numTodoTests: 0 }, 1), report: { kind: 'vitest', file: vitest } },
          { name: 'e2e', command: exit(0) }
        ],
        (line) => lines.push(line)
      )
      expect(lines.filter((l) => l.startsWith('\n=='))).toEqual(['\n== typecheck', '\n== unit', '\n== e2e'])
      expect(lines).toContain('failed step: typecheck (exit 2)')
      expect(lines.at(-1)).toBe('\n7 passed, 2 failed, 2 skipped')
      expect(result.exitCode).toBe(1)
    } finally {
      dir.remove()
    }
  })

  it('counts a runner that crashed without a report as a failure, and never an old report', () => {
    const dir = tempDir('ota-steps')
    try {
      const stale = join(dir.dir, 'results', 'playwright.json')
      mkdirSync(join(dir.dir, 'results'))
      writeFileSync(stale, JSON.stringify({ stats: { expected: 40, flaky: 0, unexpected: 0, skipped: 0 } }))
      const lines: string[] = []
      const result = runSteps([{ name: 'e2e', command: exit(1), report: { kind: 'playwright', file: stale } }], (line) => lines.push(line))
      expect(lines.at(-1)).toBe('\n0 passed, 1 failed, 0 skipped')
      expect(result.exitCode).toBe(1)
    } finally {
      dir.remove()
    }
  })

  it('passes when every step passes and tests ran', () => {
    const dir = tempDir('ota-steps')
    try {
      const vitest = join(dir.dir, 'vitest.json')
      const lines: string[] = []
      const result = runSteps(
        [{ name: 'unit', command: writes(vitest, { numPassedTests: 3, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0 }, 0), report: { kind: 'vitest', file: vitest } }],
        (line) => lines.push(line)
      )
      expect(lines.at(-1)).toBe('\n3 passed, 0 failed, 0 skipped')
      expect(result.exitCode).toBe(0)
    } finally {
      dir.remove()
    }
  })
})
