// `npm run bench -- NAME [ARGS]`: runs bench/NAME.ts; its last stdout line is one JSON object.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const [name, ...args] = process.argv.slice(2)
const available = readdirSync(join(import.meta.dirname, '../bench'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
if (!name || !existsSync(join(import.meta.dirname, `../bench/${name}.ts`))) {
  console.error(`usage: npm run bench -- NAME [--quick]\nbenchmarks: ${available.join(', ')}`)
  process.exit(2)
}
const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, `../bench/${name}.ts`), ...args], { stdio: 'inherit' })
process.exit(r.status ?? 1)
