import { realpathSync, statSync } from 'node:fs'
import { isAbsolute } from 'node:path'
import { OtaError } from '../../shared/errors'

const LIBRARY = /\.(so(\.\d+)*|dylib|dll)$/i

/**
 * A PKCS#11 module is a shared library the console loads into its own process: loading a file
 * that someone else could have written would run their code with the user's keys. So the module
 * must be a library file owned by the system (root) or by this user, and writable by no one else.
 * The answer is its real path, links resolved, so the file checked is the file loaded.
 */
export function checkedModule(path: string): string {
  if (!isAbsolute(path)) throw new OtaError('INVALID_INPUT', `The PKCS#11 module "${path}" is not an absolute path.`)
  let real: string
  try {
    real = realpathSync(path)
  } catch {
    throw new OtaError('INVALID_INPUT', `The PKCS#11 module ${path} does not exist.`)
  }
  const stat = statSync(real)
  if (!stat.isFile() || !LIBRARY.test(real)) throw new OtaError('INVALID_INPUT', `The PKCS#11 module ${path} is not a shared library (.so, .dylib or .dll).`)
  if (process.platform !== 'win32') {
    const owner = process.getuid?.()
    if (stat.uid !== 0 && stat.uid !== owner) throw new OtaError('INVALID_INPUT', `The PKCS#11 module ${real} belongs to another user (uid ${stat.uid}); it is not loaded.`)
    if (stat.mode & 0o022) throw new OtaError('INVALID_INPUT', `The PKCS#11 module ${real} can be written by other users; it is not loaded.`)
  }
  return real
}
