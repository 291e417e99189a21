import { join } from 'node:path'
import { utilityProcess } from 'electron'
import type { Launcher } from '../core/sandbox/child'

/**
 * The Local sandbox's backend and vehicles as Electron utility processes running their built
 * copies: Node without the app's binary acting as Node, so the packaged app keeps the runAsNode
 * fuse off.
 */
export const utilityLauncher = (dir: string): Launcher => ({
  start: (program, args, env) => utilityProcess.fork(join(dir, `${program}.js`), args, { env: { ...process.env, ...env }, stdio: 'pipe', serviceName: `OTA Fleet ${program}` })
})
