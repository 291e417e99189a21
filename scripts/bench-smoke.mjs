// CI's small-size run of every benchmark, so none can rot: each must end on one JSON line.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

const names = readdirSync(join(import.meta.dirname, '../bench'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
for (const name of names) {
  const r = spawnSync(process.execPath, [join(import.meta.dirname, 'bench.mjs'), name, '--quick'], { encoding: 'utf8' })
  const last = r.stdout.trim().split('\n').at(-1) ?? ''
  let figures
  try {
    figures = JSON.parse(last)
  } catch {
    figures = undefined
  }
  if (r.status !== 0 || typeof figures !== 'object' || figures === null) {
    console.error(`bench ${name} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`)
    process.exit(1)
  }
  console.log(`bench ${name} (quick): ${last}`)
}
