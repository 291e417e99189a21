import { type EcuOutcome, runBundle, type WorkshopEvent, type WorkshopRun } from '../core/workshop/run-bundle'
import { hexAddress } from '../shared/uds-client'
import { parseAddress } from './args'
import type { ConsoleCore } from './console-core'
import { EXIT, failureOf } from './exit-codes'
import { openDoip } from './options'
import { abortOnInterrupt, emit, errorJson, say } from './output'
import { progressWriter, type ProgressWriter } from './progress'

/** An ECU as the workshop names it: its id in the bundle (ECU_001) or its logical address (0x1001). */
export const parseEcuRef = (text: string): string | number => (/^(0x)?[0-9a-f]{1,4}$/i.test(text) ? parseAddress(text) : text)

export interface WorkshopValues {
  doip?: string
  tester?: string
  timeout?: string
  json?: boolean
}

const outcomeLine = (o: EcuOutcome) => {
  const name = `${o.ecu.id} (${hexAddress(o.ecu.address)})`
  if (o.state === 'skipped') return `${name}: skipped, ${o.reason}${o.result ? ' (a success is on record)' : ''}.`
  if (o.state === 'succeeded') return `${name}: succeeded; F195 reads ${o.result.versionAfter}.`
  return `${name}: failed (${o.result.cause}): ${o.result.detail}`
}

function render(json: boolean) {
  const writers = new Map<string, ProgressWriter>()
  const writer = (id: string) => writers.get(id) ?? writers.set(id, progressWriter(process.stderr, id)).get(id)!
  return (event: WorkshopEvent) => {
    if (event.type === 'progress') return writer(event.ecu.id).update(event.progress)
    if (event.type === 'ecuFinished') writer(event.outcome.ecu.id).end()
    if (json) return
    switch (event.type) {
      case 'vehicle':
        return say(
          `Vehicle ${event.vin}: its gateway (${hexAddress(event.gateway)}) reports this VIN. To flash: ${event.ecus.map((e) => `${e.id} (${hexAddress(e.address)}) → ${e.release.version}`).join(', ')}.`
        )
      case 'ecuStarted':
        return say(
          `${event.ecu.id} (${hexAddress(event.ecu.address)}): ${event.versionBefore ?? 'version unknown'} → ${event.ecu.release.version} (release ${event.ecu.release.id})`
        )
      case 'ecuFinished':
        return say(outcomeLine(event.outcome))
    }
  }
}

const runJson = (run: WorkshopRun) => ({
  bundleId: run.bundleId,
  vin: run.vin,
  ecus: run.ecus.map((o) => ({
    ecu: o.ecu.id,
    address: hexAddress(o.ecu.address),
    release: o.ecu.release,
    state: o.state,
    ...(o.state === 'skipped' && { reason: o.reason }),
    result: o.result,
    ...(o.state === 'failed' && o.error && errorJson(failureOf(o.error)))
  }))
})

/**
 * Flashes a vehicle from an imported bundle (all its ECUs, or those named), recording each
 * result; the exit code is that of the first failure.
 */
export async function runWorkshop(data: ConsoleCore, values: WorkshopValues, run: { bundleId: string; vin: string; ecus?: (string | number)[]; force?: boolean }): Promise<number> {
  const interrupt = abortOnInterrupt('the flash')
  try {
    const result = await runBundle({ bundles: data.bundles, connect: () => openDoip(values), onEvent: render(values.json === true) }, { ...run, signal: interrupt.signal })
    const count = (state: EcuOutcome['state']) => result.ecus.filter((o) => o.state === state).length
    emit(values.json === true, runJson(result), () => [
      `${count('succeeded')} succeeded, ${count('failed')} failed, ${count('skipped')} skipped. Results are recorded for bundle ${result.bundleId}; take them back with: otactl bundle results export --bundle ${result.bundleId}`
    ])
    const failed = result.ecus.find((o) => o.state === 'failed')
    if (failed?.state === 'failed' && failed.error) return failureOf(failed.error).exit
    return interrupt.signal.aborted ? EXIT.interrupted : EXIT.ok
  } finally {
    interrupt.dispose()
  }
}
