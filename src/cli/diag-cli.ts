import { hexAddress } from '../shared/uds-client'
import { parseAddress, parseInteger } from './args'
import { DIAG_USAGE, parseDiagCommands } from './diag/commands'
import { formatDiagResult } from './diag/format'
import { type DiagResult, runDiagCommand } from './diag/run-command'
import { EXIT, failureOf } from './exit-codes'
import { COMMON_OPTIONS, didCatalogFrom, DOIP_OPTIONS, openDoip, parse, required } from './options'
import { emit, errorJson, say } from './output'

export const DIAG_SYNOPSIS = 'otactl diag --doip HOST[:PORT] --ecu ADDR [--tester ADDR] [--timeout MS] [--did-catalog FILE] [--ext-size N] [--json] COMMAND [ARGS] [then COMMAND …]'

const USAGE = `Usage: ${DIAG_SYNOPSIS}
  --doip        the vehicle's DoIP entity (port 13400 by default)
  --ecu         the ECU's logical address, e.g. 0x1001
  --tester      this tester's source address (0x0E80 by default)
  --timeout     how long to wait for each answer, in ms (DoIP connect, routing activation, P2)
  --did-catalog a JSON DID catalog (lengths and types of OEM DIDs, see docs/uds-doip.md)
  --ext-size    the length of each 19 06 extended data record, when the ECU's records have one
${DIAG_USAGE}`

const OPTIONS = { ...DOIP_OPTIONS, ...COMMON_OPTIONS, ecu: { type: 'string' }, 'ext-size': { type: 'string' } } as const

/** `otactl diag`: one or more UDS services to one ECU over one DoIP connection. */
export async function diagCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS)
  if (values.help) return (say(USAGE), EXIT.ok)
  const target = parseAddress(required(values.ecu, '--ecu ADDR'))
  // Everything the command line says is checked before the vehicle is touched.
  const commands = parseDiagCommands(positionals)
  const catalog = didCatalogFrom(values['did-catalog'])
  const extSize = values['ext-size'] === undefined ? undefined : parseInteger(values['ext-size'], '--ext-size', 1, 255)
  const ecu = hexAddress(target)
  const results: DiagResult[] = []
  const session = await openDoip(values, catalog)
  try {
    for (const command of commands) {
      const result = await runDiagCommand(command, { session, target, catalog, extendedDataSize: extSize === undefined ? undefined : () => extSize })
      results.push(result)
      if (!values.json) formatDiagResult(result, ecu).forEach(say)
    }
  } catch (err) {
    if (!values.json) throw err
    // The commands that ran before the failure are part of the answer.
    const failure = failureOf(err)
    emit(true, { ecu, results, ...errorJson(failure) }, () => [])
    return failure.exit
  } finally {
    await session.close()
  }
  if (values.json) emit(true, { ecu, results }, () => [])
  return EXIT.ok
}
