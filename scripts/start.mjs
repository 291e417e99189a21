// `npm start`: the Electron app. Where Electron's binary cannot be had, say so in one line.
import { spawnSync } from 'node:child_process'

const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
  encoding: 'utf8',
  timeout: 180_000
})
if (probe.status !== 0 || !probe.stdout) {
  console.error("npm start: Electron's binary could not be downloaded on this machine; run `npm run serve` to use the console in a browser instead.")
  process.exit(1)
}
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
// Native modules must match Electron's ABI inside the app; ensure-native switches them back for Node.
run('npx', ['electron-builder', 'install-app-deps'])
run('npx', ['electron-vite', 'build'])
run('npx', ['electron-vite', 'preview'])
