import { randomBytes } from 'node:crypto'
import { rename, rm } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { BundleVerdict } from '../shared/bundle/report'
import type { BundleDetail, ImportedBundle } from '../shared/calls/bundles'
import { hexAddress } from '../shared/uds-client'
import { OtaError } from '../shared/errors'
import { parseInteger } from './args'
import { EXIT, UsageError, VerificationRefused } from './exit-codes'
import { COMMON_OPTIONS, DATA_OPTIONS, DOIP_OPTIONS, parse, required } from './options'
import { dispatch, type Subcommand } from './subcommands'
import { emit } from './output'
import { parseEcuRef, runWorkshop } from './workshop-cli'

export const BUNDLE_SYNOPSIS = [
  'otactl bundle verify FILE | import FILE | list | show ID                    offline, on the workshop console',
  'otactl bundle run --bundle ID --vin VIN --doip HOST[:PORT] [--ecu ECU,…] [--force]   offline: flash a vehicle, record the results',
  'otactl bundle results export --bundle ID [--out FILE]                      offline: the signed results file',
  'otactl bundle register --name NAME                                         online, once: this console as a workshop (admin)',
  'otactl bundle export --job JOB --workshop NAME|ID [--vins VIN,…] [--expires-hours N] [--out FILE]   online: a job as a bundle',
  'otactl bundle results import FILE                                          online: a workshop results file into its job'
]

const USAGE = `Usage:
${BUNDLE_SYNOPSIS.map((l) => `  ${l}`).join('\n')}
Every bundle command takes --data-dir DIR (the console's data; default: its default data folder) and --json;
the online ones use the console's active connection profile, or --profile NAME.`

const OPTIONS = {
  ...COMMON_OPTIONS,
  ...DATA_OPTIONS,
  ...DOIP_OPTIONS,
  bundle: { type: 'string' },
  vin: { type: 'string' },
  ecu: { type: 'string' },
  force: { type: 'boolean', default: false },
  out: { type: 'string' },
  name: { type: 'string' },
  job: { type: 'string' },
  workshop: { type: 'string' },
  vins: { type: 'string' },
  'expires-hours': { type: 'string' }
} as const
type Values = ReturnType<typeof parse<typeof OPTIONS>>['values']

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)

const verdictLines = (v: BundleVerdict) => [
  ...v.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.check.padEnd(9)}  ${c.detail}`),
  // A refusal's message is its failed check's detail, just above.
  v.ok ? v.message : `Refused: the ${v.failed} check failed; nothing in this file may be used.`
]
const summaryLine = (b: ImportedBundle) =>
  `${b.id}  job "${b.job.name}" (${b.job.id})  ${b.vehicles} vehicle(s)  ${b.expired ? 'EXPIRED' : 'valid until'} ${b.expiresAt}  results: ${b.results.succeeded} succeeded, ${b.results.failed} failed`
const detailLines = (d: BundleDetail) => [
  summaryLine(d.bundle),
  ...d.releases.map((r) => `  release ${r.id}: ${r.model} ${r.ecu} ${r.version} (hardware ${r.hardware.join(', ')})`),
  ...d.vehicles.map(
    (v) =>
      `  vehicle ${v.vin} (${v.model}, gateway ${v.gateway ? hexAddress(v.gateway.logicalAddress) : 'unknown'}): ${v.ecus.map((e) => `${e.id} ${hexAddress(e.logicalAddress)} ${e.software}`).join(', ')}`
  ),
  ...d.results.map((r) => `  result ${r.vin} ${r.ecu}: ${r.outcome}${r.cause ? ` (${r.cause})` : ''} ${r.versionBefore ?? '?'} → ${r.versionAfter ?? '?'} at ${r.finishedAt}`)
]

/** Writes through `make` to a temporary name beside the target, then moves it in place: no half file is left under the final name. */
async function writeAtomically<T>(target: string | ((out: T) => string), make: (path: string) => Promise<T>) {
  const draft = resolve(typeof target === 'string' ? dirname(target) : '.', `.otactl-${randomBytes(6).toString('hex')}.part`)
  try {
    const out = await make(draft)
    const final = resolve(typeof target === 'string' ? target : target(out))
    await rename(draft, final)
    return { out, path: final }
  } finally {
    await rm(draft, { force: true })
  }
}

type Handler = Subcommand<Values>

const one = (args: string[], what: string) => {
  if (args.length !== 1) throw new UsageError(`${what} takes one FILE`)
  return args[0]!
}

const SUBCOMMANDS: Record<string, Handler> = {
  async verify(data, values, args) {
    const verdict = await data.bundles.verify(one(args, 'bundle verify'))
    emit(values.json, verdict, () => verdictLines(verdict))
    return verdict.ok ? EXIT.ok : EXIT.refused
  },
  async import(data, values, args) {
    const imported = await data.bundles.importBundle(one(args, 'bundle import')).catch((err: unknown) => {
      // The service refuses a bundle that fails a check with INVALID_INPUT naming the check.
      throw err instanceof OtaError && err.code === 'INVALID_INPUT' ? new VerificationRefused(err.message) : err
    })
    emit(values.json, imported, () => [`Imported: ${summaryLine(imported)}`])
    return EXIT.ok
  },
  async list(data, values) {
    const bundles = data.bundles.list()
    emit(values.json, { bundles }, () => (bundles.length ? bundles.map(summaryLine) : [`No bundle has been imported into ${data.dataDir}.`]))
    return EXIT.ok
  },
  async show(data, values, args) {
    if (args.length !== 1) throw new UsageError('bundle show takes one bundle ID')
    const detail = await data.bundles.get(args[0]!)
    emit(values.json, detail, () => detailLines(detail))
    return EXIT.ok
  },
  async register(data, values) {
    const profile = data.profile(values.profile)
    const client = await data.backend(profile)
    try {
      const status = await data.bundles.registerWorkshop(profile.id, client, required(values.name, '--name NAME'))
      emit(values.json, status, () => [
        `This console is workshop ${status.workshop!.name} (${status.workshop!.id}) of ${status.backend!.origin}; pinned its bundle key ${status.backend!.keyid.slice(0, 12)}… and TUF root v${status.backend!.rootVersion}.`
      ])
      return EXIT.ok
    } finally {
      client.close()
    }
  },
  async export(data, values) {
    const profile = data.profile(values.profile)
    const jobId = required(values.job, '--job JOB')
    const wanted = required(values.workshop, '--workshop NAME|ID')
    const client = await data.backend(profile)
    try {
      const workshops = await data.bundles.listWorkshops(client)
      const found = workshops.find((w) => w.id === wanted || w.name === wanted)
      if (!found)
        throw new UsageError(`No workshop "${wanted}" is registered with ${profile.backendUrl}; there are: ${workshops.map((w) => `${w.name} (${w.id})`).join(', ') || 'none'}.`)
      const request = {
        workshopId: found.id,
        vins: values.vins === undefined ? undefined : list(values.vins),
        expiresInHours: values['expires-hours'] === undefined ? undefined : parseInteger(values['expires-hours'], '--expires-hours', 1, 720)
      }
      const { out, path } = await writeAtomically(values.out ?? ((b: { bundleId: string }) => `${b.bundleId}.otab`), (draft) =>
        data.bundles.exportBundle(client, jobId, request, draft)
      )
      emit(values.json, { bundleId: out.bundleId, path }, () => [`Bundle ${out.bundleId} of job ${jobId} written to ${path}`])
      return EXIT.ok
    } finally {
      client.close()
    }
  },
  async run(data, values) {
    const ecus = values.ecu === undefined ? undefined : list(values.ecu).map(parseEcuRef)
    return runWorkshop(data, values, { bundleId: required(values.bundle, '--bundle ID'), vin: required(values.vin, '--vin VIN'), ecus, force: values.force })
  },
  async results(data, values, args) {
    const [action, ...rest] = args
    if (action === 'export') {
      if (rest.length) throw new UsageError('bundle results export takes --bundle ID [--out FILE]')
      const bundleId = required(values.bundle, '--bundle ID')
      const { out, path } = await writeAtomically(values.out ?? join('.', `${bundleId}-results.otab`), (draft) => data.bundles.exportResults(bundleId, draft))
      emit(values.json, { bundleId, path, results: out.results }, () => [`${out.results} result(s) of bundle ${bundleId}, signed by this workshop, written to ${path}`])
      return EXIT.ok
    }
    if (action === 'import') {
      const file = one(rest, 'bundle results import')
      const client = await data.backend(data.profile(values.profile))
      try {
        const report = await data.bundles.importResults(client, file)
        emit(values.json, report, () => [
          `Job ${report.job.name} (${report.job.id}): ${report.applied} result(s) applied, ${report.unchanged} already recorded, ${report.refused.length} refused.`,
          ...report.refused.map((r) => `  refused ${r.vin} ${r.ecu}: ${r.reason}`)
        ])
        return report.refused.length ? EXIT.refused : EXIT.ok
      } finally {
        client.close()
      }
    }
    throw new UsageError('bundle results takes export or import')
  }
}

/** `otactl bundle …`: offline bundles and workshop results, on the console's own data. */
export const bundleCommand = (args: string[]) => dispatch('bundle', parse(args, OPTIONS), USAGE, SUBCOMMANDS)
