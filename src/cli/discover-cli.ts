import { type DiscoveredEntity, discoverEntities } from '../core/uds-session/doip/discovery'
import { hexAddress } from '../shared/uds-client'
import { parseDoipTarget, parseInteger } from './args'
import { EXIT, UsageError } from './exit-codes'
import { COMMON_OPTIONS, parse } from './options'
import { emit, note, say } from './output'

export const DISCOVER_SYNOPSIS = 'otactl discover [--address HOST[:PORT]] [--wait MS] [--json]'

const USAGE = `Usage: ${DISCOVER_SYNOPSIS}
  Sends a DoIP vehicle identification request on UDP and lists the vehicles that announce
  themselves: VIN, logical address, EID and where to reach them with --doip.
  --address   a broadcast address (255.255.255.255 when absent) or one host; port 13400 unless given
  --wait      how long to collect answers, 2000 ms unless given (A_DoIP_Ctrl)`

const OPTIONS = { ...COMMON_OPTIONS, address: { type: 'string' }, wait: { type: 'string' } } as const

const line = (e: DiscoveredEntity) =>
  `${e.vin}  --doip ${e.host}:${e.port}  entity ${hexAddress(e.logicalAddress)}  EID ${e.eid}${e.furtherAction === 'noFurtherActionRequired' ? '' : `  (${e.furtherAction})`}`

const addressOf = (text: string) => {
  try {
    return parseDoipTarget(text)
  } catch {
    throw new UsageError(`--address takes HOST[:PORT], e.g. 192.168.0.255 or 127.0.0.1:13401; got "${text}"`)
  }
}

/** `otactl discover`: which vehicles answer on this link, before `otactl diag --doip`. Finding none is exit 2, as a connection error. */
export async function discoverCommand(args: string[]): Promise<number> {
  const { values } = parse(args, OPTIONS)
  if (values.help) return (say(USAGE), EXIT.ok)
  const target = values.address === undefined ? undefined : addressOf(values.address)
  const timeoutMs = values.wait === undefined ? undefined : parseInteger(values.wait, '--wait', 100, 60_000)
  const found = await discoverEntities({ address: target?.host, port: target?.port, timeoutMs })
  emit(values.json, { vehicles: found }, () => found.map(line))
  if (found.length === 0) note(`No DoIP vehicle answered at ${target ? `${target.host}:${target.port}` : '255.255.255.255:13400'}: is the link up, and the vehicle's ignition on?`)
  return found.length === 0 ? EXIT.connection : EXIT.ok
}
