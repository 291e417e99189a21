import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import type { DiagSession } from '../core/uds-session/session'
import { hexAddress } from '../shared/uds-client'
import { formatsFor } from '../shared/format'
import { DID } from '../shared/uds'
import { parseAddress } from './args'
import { openConsoleCore } from './console-core'
import { EXIT, UsageError } from './exit-codes'
import { COMMON_OPTIONS, DATA_OPTIONS, DOIP_OPTIONS, openDoip, parse, required } from './options'
import { abortOnInterrupt, emit, note, say } from './output'
import { formatSeconds, progressWriter } from './progress'
import { parseEcuRef, runWorkshop } from './workshop-cli'

export const FLASH_SYNOPSIS =
  'otactl flash --doip HOST[:PORT] --ecu ADDR|ECU_ID (--bundle ID --vin VIN | --version X.Y.Z IMAGE) [--data-dir DIR] [--tester ADDR] [--timeout MS] [--json]'

const USAGE = `Usage: ${FLASH_SYNOPSIS}
  --bundle, --vin   flash the release an imported offline bundle has for this ECU of this vehicle
                    (verified again, VIN and hardware checked, the result recorded in the bundle)
  IMAGE --version   development: flash a local image file declared as version X.Y.Z (no signature check)
Progress with speed and ETA goes to stderr; Ctrl-C aborts and leaves the ECU in its default session.`

const OPTIONS = {
  ...DOIP_OPTIONS,
  ...COMMON_OPTIONS,
  ...DATA_OPTIONS,
  ecu: { type: 'string' },
  bundle: { type: 'string' },
  vin: { type: 'string' },
  version: { type: 'string' }
} as const
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/

/** `otactl flash`: an offline bundle's release, or a local image during development. */
export async function flashCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS)
  if (values.help) return (say(USAGE), EXIT.ok)
  const ecu = required(values.ecu, '--ecu ADDR')
  if (values.bundle !== undefined) {
    if (positionals.length > 0 || values.version !== undefined) throw new UsageError('--bundle takes the image from the bundle: give no IMAGE and no --version')
    const vin = required(values.vin, '--vin VIN (with --bundle)')
    const data = await openConsoleCore(values['data-dir'])
    try {
      return await runWorkshop(data, values, { bundleId: values.bundle, vin, ecus: [parseEcuRef(ecu)], force: true })
    } finally {
      await data.close()
    }
  }
  if (positionals.length !== 1) throw new UsageError('flash takes --bundle ID --vin VIN, or one IMAGE file with --version X.Y.Z')
  const version = required(values.version, '--version X.Y.Z (with an IMAGE file)')
  if (!SEMVER.test(version)) throw new UsageError(`--version must be a semantic version such as 1.2.0, got "${version}"`)
  const path = positionals[0]!
  let image: Buffer
  try {
    image = readFileSync(path)
  } catch (err) {
    throw new UsageError(`Cannot read the image ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
  if (image.length === 0) throw new UsageError(`The image ${path} is empty`)
  return flashLocalImage(values, parseAddress(ecu), { path, image, version }, values.json)
}

const readText = async (session: DiagSession, target: number, did: number) => {
  const value = (await session.readDids(target, [did]).catch(() => []))[0]?.value
  return value === undefined || value === null ? undefined : String(value)
}

async function flashLocalImage(values: Parameters<typeof openDoip>[0], target: number, local: { path: string; image: Buffer; version: string }, json: boolean) {
  const ecu = hexAddress(target)
  const sha256 = createHash('sha256').update(local.image).digest('hex')
  note(
    `Development flash of ${local.path} (${formatsFor('en').bytes(local.image.length)}, sha256 ${sha256.slice(0, 16)}…) as version ${local.version}: no signature vouches for this image.`
  )
  const session = await openDoip(values)
  const interrupt = abortOnInterrupt('the flash')
  const progress = progressWriter(process.stderr, ecu)
  try {
    // A local image has no release record: it is taken as meant for the vehicle and hardware the ECU reports.
    const vin = await readText(session, target, DID.vin)
    const hardware = await readText(session, target, DID.ecuHardwareNumber)
    const name = `ECU ${ecu}`
    const outcome = await session.flash(
      target,
      {
        kind: 'image',
        image: local.image,
        release: { id: `local:${basename(local.path)}`, model: 'local', ecu: name, version: local.version, hardware: hardware === undefined ? [] : [hardware] },
        expected: { vin: vin ?? '(not reported)', model: 'local', ecu: name }
      },
      { signal: interrupt.signal, onProgress: (p) => progress.update(p) }
    )
    progress.end()
    const seconds = outcome.elapsedMs / 1000
    emit(json, { ecu, image: { path: local.path, sha256, bytes: local.image.length }, ...outcome }, () => [
      `${ecu}: ${outcome.versionBefore ?? 'version unknown'} → ${outcome.versionAfter}; F195 reads ${outcome.versionAfter} after the reset.`,
      `${formatsFor('en').bytes(outcome.bytes)} in ${outcome.blocks} blocks, ${formatSeconds(seconds)} (${formatsFor('en').rate(outcome.bytes / Math.max(seconds, 0.001))}).`
    ])
    return EXIT.ok
  } finally {
    progress.end()
    interrupt.dispose()
    await session.close()
  }
}
