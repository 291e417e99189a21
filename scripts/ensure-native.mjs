// Native modules are built for one ABI at a time: Node's for tests and `npm run serve`,
// Electron's after `npm start` or packaging ran install-app-deps. Rebuild for Node if needed.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const broken = []
for (const name of ['better-sqlite3']) {
  try {
    const mod = require(name)
    if (name === 'better-sqlite3') new mod(':memory:').close()
  } catch (err) {
    broken.push([name, String(err.message).split('\n')[0]])
  }
}
if (broken.length) {
  for (const [name, why] of broken) console.log(`ensure-native: ${name} does not load in Node ${process.version} (${why}); rebuilding`)
  const r = spawnSync('npm', ['rebuild', ...broken.map(([n]) => n)], { stdio: 'inherit' })
  process.exit(r.status ?? 1)
}
