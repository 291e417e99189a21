import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = join(__dirname, '../..')

/** The TS programs `npm run typecheck` runs, read from the script itself so the two cannot drift. */
const typecheckProjects = () => {
  const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.typecheck!
  return [...script.matchAll(/-p\s+(\S+)/g)].map((m) => m[1]!)
}

const rootFiles = (project: string) => {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(root, project),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(String(d.messageText))
      }
    }
  )
  return parsed!.fileNames.map((f) => resolve(f))
}

describe('npm run typecheck', () => {
  it('covers every TypeScript file in the repository, tests of every folder included', () => {
    const projects = typecheckProjects()
    expect(projects).toEqual(['tsconfig.node.json', 'tsconfig.web.json', 'tsconfig.renderer-test.json'])
    const checked = new Set(projects.flatMap(rootFiles))
    const tracked = execFileSync('git', ['ls-files', '*.ts', '*.tsx', '*.mts', '*.cts'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean)
    expect(tracked.length).toBeGreaterThan(100)
    expect(tracked.filter((f) => !checked.has(resolve(root, f)))).toEqual([])
  })
})
