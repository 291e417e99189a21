// The one test command: native modules, typecheck, lint, build, unit + integration tests (vitest),
// a smoke run of every benchmark, e2e (Playwright in Chromium against the browser host).
// Keychain-using steps run in a private keyring session (scripts/with-keyring).
import { join } from 'node:path'
import { runSteps } from './test-steps'

process.chdir(join(__dirname, '..'))
const node = process.execPath
const npm = (script: string) => ['npm', 'run', '-s', script]
const withKeyring = (...command: string[]) => ['bash', 'scripts/with-keyring', ...command]

const { exitCode } = runSteps([
  { name: 'native modules for Node', command: [node, 'scripts/ensure-native.mjs'] },
  { name: 'typecheck', command: npm('typecheck') },
  { name: 'lint', command: npm('lint') },
  { name: 'build', command: npm('build:app') },
  {
    name: 'unit and integration',
    command: withKeyring('npx', 'vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile=test-results/vitest.json'),
    report: { kind: 'vitest', file: 'test-results/vitest.json' }
  },
  { name: 'benchmarks (smoke)', command: [node, 'scripts/bench-smoke.mjs'] },
  { name: 'e2e', command: withKeyring('npx', 'playwright', 'test'), report: { kind: 'playwright', file: 'test-results/playwright.json' } }
])
process.exit(exitCode)
