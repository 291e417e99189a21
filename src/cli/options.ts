import { readFileSync } from 'node:fs'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { openDoipSession } from '../core/uds-session/open-doip'
import type { DiagSession } from '../core/uds-session/session'
import { BUILTIN_DID_CATALOG, type DidCatalog, loadDidCatalog } from '../shared/uds'
import { parseAddress, parseDoipTarget, parseInteger } from './args'
import { UsageError } from './exit-codes'

/** Options every command that talks DoIP takes. */
export const DOIP_OPTIONS = {
  doip: { type: 'string' },
  tester: { type: 'string' },
  timeout: { type: 'string' },
  'did-catalog': { type: 'string' }
} as const satisfies ParseArgsConfig['options']

export const COMMON_OPTIONS = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false }
} as const satisfies ParseArgsConfig['options']

export const DATA_OPTIONS = {
  'data-dir': { type: 'string' },
  profile: { type: 'string' }
} as const satisfies ParseArgsConfig['options']

/** node's parseArgs, with its complaints turned into usage errors. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
}

export const required = <T>(value: T | undefined, option: string): T => {
  if (value === undefined) throw new UsageError(`${option} is required`)
  return value
}

export function didCatalogFrom(path: string | undefined): DidCatalog {
  if (path === undefined) return BUILTIN_DID_CATALOG
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new UsageError(`--did-catalog: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
  try {
    return loadDidCatalog(text)
  } catch (err) {
    throw new UsageError(`--did-catalog ${path}: ${(err as Error).message}`)
  }
}

/**
 * The DoIP session --doip names, opened as the Workshop screen opens its own. --timeout shortens
 * or lengthens every wait for an answer.
 */
export async function openDoip(values: { doip?: string; tester?: string; timeout?: string }, didCatalog: DidCatalog = BUILTIN_DID_CATALOG): Promise<DiagSession> {
  const { host, port } = parseDoipTarget(required(values.doip, '--doip HOST[:PORT]'))
  const testerAddress = values.tester === undefined ? undefined : parseAddress(values.tester, '--tester')
  const ms = values.timeout === undefined ? undefined : parseInteger(values.timeout, '--timeout (ms)', 50, 600_000)
  const timing = ms === undefined ? {} : { timers: { connectMs: ms, routingActivationMs: ms, diagnosticAckMs: ms }, uds: { p2Ms: ms } }
  const { session } = await openDoipSession({ host, port, testerAddress, ...timing }, { didCatalog })
  return session
}
