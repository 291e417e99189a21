import { homedir } from 'node:os'
import { join } from 'node:path'

export const APP_DIR_NAME = 'ota-fleet-console'

/** The XDG data directory, used when no --data-dir is given (Electron uses its userData instead). */
export const defaultDataDir = (env: NodeJS.ProcessEnv = process.env) => join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), APP_DIR_NAME)
