// Runs the test command's steps one after another, every one of them even after a failure, and
// ends on one closing line over all of them: "N passed, N failed, N skipped". The runners' own
// counts come from their JSON reports; a step that fails without such a report (typecheck, lint,
// build, a runner that crashed) counts as one failure, named above the closing line.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'

type Totals = { passed: number; failed: number; skipped: number }
/* eslint-disable @typescript-eslint/no-explicit-any -- the runners' JSON reports, read for three numbers each */
const counts = {
  vitest: (v: any): Totals => ({ passed: v.numPassedTests, failed: v.numFailedTests, skipped: v.numPendingTests + v.numTodoTests }),
  playwright: ({ stats: s }: any): Totals => ({ passed: s.expected + s.flaky, failed: s.unexpected, skipped: s.skipped })
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface Step {
  name: string
  command: string[]
  /** Where a test runner leaves its JSON report, whose counts go into the closing line. */
  report?: { kind: keyof typeof counts; file: string }
}

/** Runs every step; returns the totals and the exit code the command ends with. */
export function runSteps(steps: Step[], print: (line: string) => void = (line) => console.log(line)) {
  const total: Totals = { passed: 0, failed: 0, skipped: 0 }
  const broken: string[] = []
  for (const step of steps) {
    print(`\n== ${step.name}`)
    // A report left from an earlier run must not be counted as this one's.
    if (step.report) rmSync(step.report.file, { force: true })
    const r = spawnSync(step.command[0]!, step.command.slice(1), { stdio: 'inherit' })
    const code = r.status ?? 1
    const report = step.report && existsSync(step.report.file) ? readReport(step.report) : undefined
    if (report) for (const key of ['passed', 'failed', 'skipped'] as const) total[key] += report[key]
    if (code !== 0 && (!report || report.failed === 0)) {
      total.failed += 1
      broken.push(`${step.name} (exit ${r.status ?? r.signal ?? r.error?.message})`)
    }
  }
  for (const name of broken) print(`failed step: ${name}`)
  print(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`)
  return { ...total, exitCode: total.failed > 0 || total.passed === 0 ? 1 : 0 }
}

function readReport({ kind, file }: NonNullable<Step['report']>): Totals | undefined {
  try {
    return counts[kind](JSON.parse(readFileSync(file, 'utf8')))
  } catch {
    return undefined
  }
}
