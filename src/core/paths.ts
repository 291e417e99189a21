import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

export const APP_DIR_NAME = 'ota-fleet-console'

/** The XDG data directory, used when no --data-dir is given (Electron uses its userData instead). */
export const defaultDataDir = (env: NodeJS.ProcessEnv = process.env) => join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), APP_DIR_NAME)

/** package.json's version, for the programs that run from source (the browser host, otactl); the Electron app asks app.getVersion(). */
export const sourceVersion = () => (JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string }).version
