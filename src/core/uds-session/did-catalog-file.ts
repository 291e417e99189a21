import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { BUILTIN_DID_CATALOG, type DidCatalog, loadDidCatalog } from '../../shared/uds'

/** An OEM's DIDs beside the ISO ones: `did-catalog.json` in the console's data folder (docs/uds-doip.md). */
export function loadConsoleDidCatalog(dataDir: string, log: (line: string) => void): DidCatalog {
  const file = join(dataDir, 'did-catalog.json')
  if (!existsSync(file)) return BUILTIN_DID_CATALOG
  try {
    return loadDidCatalog(readFileSync(file, 'utf8'))
  } catch (err) {
    log(`diagnostics: ${file} is not used: ${(err as Error).message}`)
    return BUILTIN_DID_CATALOG
  }
}
