import { CertificateState, RevocationReason, type DeviceCertificateView } from '../shared/fleet/certificates'
import { pages } from '../shared/http/client'
import { parseInteger } from './args'
import type { ConsoleCore } from './console-core'
import { EXIT, UsageError } from './exit-codes'
import { COMMON_OPTIONS, DATA_OPTIONS, parse, required } from './options'
import { dispatch, type Subcommand } from './subcommands'
import { emit } from './output'

export const CERTIFICATES_SYNOPSIS = [
  'otactl certificates list [--vin PREFIX] [--state STATE] [--expiring-days N] [--workshops]   online: device certificates',
  'otactl certificates revoke SERIAL --reason REASON [--comment TEXT]         online: shut a vehicle or workshop out (admin, operator)',
  'otactl certificates renew SERIAL                                           online: ask a vehicle to renew its certificate now'
]

const USAGE = `Usage:
${CERTIFICATES_SYNOPSIS.map((l) => `  ${l}`).join('\n')}
STATE: ${CertificateState.options.join(', ')} (without --state: every state but superseded).
REASON (RFC 5280): ${RevocationReason.options.filter((r) => r !== 'superseded').join(', ')}.
They use the console's active connection profile, or --profile NAME; --data-dir DIR and --json as every command.`

const OPTIONS = {
  ...COMMON_OPTIONS,
  ...DATA_OPTIONS,
  vin: { type: 'string' },
  state: { type: 'string' },
  'expiring-days': { type: 'string' },
  workshops: { type: 'boolean', default: false },
  reason: { type: 'string' },
  comment: { type: 'string' }
} as const
type Values = ReturnType<typeof parse<typeof OPTIONS>>['values']

const line = (c: DeviceCertificateView) =>
  `${c.serial}  ${c.holderKind} ${c.holder}  ${c.algorithm}  until ${c.notAfter}${c.revocation ? `  revoked ${c.revocation.at} (${c.revocation.reason}) by ${c.revocation.by}` : ''}${c.renewalRequestedAt ? `  renewal asked ${c.renewalRequestedAt}` : ''}`

const oneSerial = (args: string[], what: string) => {
  if (args.length !== 1) throw new UsageError(`certificates ${what} takes one SERIAL`)
  return args[0]!.toLowerCase()
}

/** Checked against the contract's own list, so a typo is named before the backend is asked. */
function choice<T extends string>(value: string | undefined, options: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined
  if (!(options as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${options.join(', ')}; got "${value}"`)
  return value as T
}

type Handler = Subcommand<Values>

/** Each subcommand against the profile's backend, closed after. */
const online =
  (run: (client: Awaited<ReturnType<ConsoleCore['backend']>>, values: Values, args: string[]) => Promise<number>): Handler =>
  async (data, values, args) => {
    const client = await data.backend(data.profile(values.profile))
    try {
      return await run(client, values, args)
    } finally {
      client.close()
    }
  }

const SUBCOMMANDS: Record<string, Handler> = {
  list: online(async (client, values) => {
    const query = {
      q: values.vin,
      state: choice(values.state, CertificateState.options, '--state'),
      expiringDays: values['expiring-days'] === undefined ? undefined : parseInteger(values['expiring-days'], '--expiring-days', 1, 365),
      holderKind: values.workshops ? ('workshop' as const) : undefined
    }
    const certificates: DeviceCertificateView[] = []
    for await (const page of pages(client.pki.certificates, { ...query, limit: 1000 })) certificates.push(...page.certificates)
    emit(values.json, { certificates }, () => (certificates.length ? certificates.map(line) : ['No device certificate matches.']))
    return EXIT.ok
  }),
  revoke: online(async (client, values, args) => {
    const serial = oneSerial(args, 'revoke')
    const reason = choice(required(values.reason, '--reason REASON'), RevocationReason.options, '--reason')!
    const revoked = await client.pki.revoke({ serial }, { reason, comment: values.comment })
    emit(values.json, revoked, () => [`Revoked ${line(revoked)}`, 'Its open connections are closed, new ones are refused, and the CRL lists it.'])
    return EXIT.ok
  }),
  renew: online(async (client, values, args) => {
    const asked = await client.pki.requestRenewal({ serial: oneSerial(args, 'renew') })
    emit(values.json, asked, () => [`Asked ${asked.holder} to renew ${asked.serial}: it makes a new key and certificate as soon as it is online.`])
    return EXIT.ok
  })
}

/** `otactl certificates …`: the backend's device certificates, through the console's connection profile. */
export const certificatesCommand = (args: string[]) => dispatch('certificates', parse(args, OPTIONS), USAGE, SUBCOMMANDS)
