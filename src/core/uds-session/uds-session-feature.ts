import { randomBytes } from 'node:crypto'
import type { DiagSessionView, FlashProgressEvent } from '../../shared/calls/uds-session'
import type { FlashProgress } from '../../shared/uds-client'
import { OtaError } from '../../shared/errors'
import { operationRequest } from '../../shared/calls/uds-operation'
import { DID, toHex } from '../../shared/uds'
import type { BundleService } from '../bundles/bundle-service'
import { callsOf, type FeatureDeps, type HandlersOf } from '../feature'
import { describeAnswer } from './answer'
import { loadConsoleDidCatalog } from './did-catalog-file'
import { discoverEntities } from './doip/discovery'
import { refused } from './errors'
import { openDoipSession } from './open-doip'
import { toOtaError } from './ota-error'
import { createRelayTransport } from './remote/relay-transport'
import { createDiagSession, type DiagSession, type FlashResult } from './session'
import { flashFromBundle } from './workshop-flash'

interface Entry {
  session: DiagSession
  view: DiagSessionView
}

const newId = (prefix: string) => `${prefix}_${randomBytes(8).toString('hex')}`

/**
 * UDS sessions with one vehicle at a time (the contract's diag.* calls): opened by id over DoIP
 * or the backend's relay, requests answered decoded, and flashes that report on diag.progress
 * until they end. A DoIP flash is a workshop run of one ECU from an imported offline bundle
 * (src/core/workshop), recorded there.
 */
export function createUdsSessionFeature(deps: FeatureDeps & { bundles: BundleService }) {
  const catalog = loadConsoleDidCatalog(deps.dataDir, deps.log)
  const sessions = new Map<string, Entry>()
  const flashes = new Map<string, { controller: AbortController; session: string }>()

  const { observe } = callsOf(deps)
  // What a socket or a UDS timer throws reaches the renderer as one of the contract's errors.
  const guard = <T>(run: () => Promise<T>): Promise<T> =>
    observe(run).catch((err: unknown) => {
      throw toOtaError(err)
    })
  const entry = (id: string) => {
    const found = sessions.get(id)
    if (!found) throw new OtaError('NOT_FOUND', `No diagnostic session ${id}: it was closed, or the console restarted.`)
    return found
  }

  async function connectDoip(id: string, target: Extract<Parameters<HandlersOf<'diag'>['diag.connect']>[0], { doip: unknown }>['doip']): Promise<Entry> {
    const { session, entityAddress: address } = await openDoipSession(
      {
        ...target,
        onState: (s) =>
          deps.hub.emit('diag.state', {
            session: id,
            state: s.state,
            detail: 'reason' in s ? (s.state === 'reconnecting' ? `attempt ${s.attempt} of ${s.of}: ${s.reason}` : s.reason) : null
          })
      },
      { didCatalog: catalog, onKeepAliveError: (ecu, err) => deps.log(`diagnostics: tester present to ${ecu.toString(16)} stopped: ${err.message}`) }
    )
    const entityAddress = address ?? null
    const vin = entityAddress === null ? undefined : (await session.readDids(entityAddress, [DID.vin]).catch(() => []))[0]?.value
    return { session, view: { session: id, kind: 'doip', vin: typeof vin === 'string' ? vin : null, entityAddress, ecus: [] } }
  }

  async function connectRemote(id: string, vin: string): Promise<Entry> {
    const client = await deps.backend.client()
    const vehicle = await client.vehicles.get({ vin })
    const session = createDiagSession(createRelayTransport({ client: () => deps.backend.client(), vin }), { didCatalog: catalog })
    const ecus = [...(vehicle.gateway ? [{ id: 'GATEWAY', ...vehicle.gateway }] : []), ...vehicle.ecus].map(({ id: ecu, logicalAddress, software }) => ({
      id: ecu,
      logicalAddress,
      software
    }))
    return { session, view: { session: id, kind: 'remote', vin, entityAddress: null, ecus } }
  }

  function progressEvent(
    flashId: string,
    session: string,
    target: number,
    p: Partial<FlashProgress>,
    end?: Pick<FlashProgressEvent, 'state' | 'message' | 'versionBefore' | 'versionAfter'>
  ): FlashProgressEvent {
    const bytesTotal = p.bytesTotal ?? 0
    const bytesSent = p.bytesSent ?? 0
    return {
      flashId,
      session,
      target,
      state: end?.state ?? 'running',
      step: p.step ?? 'prepare',
      bytesSent,
      bytesTotal,
      percent: end?.state === 'succeeded' ? 100 : bytesTotal ? Math.round((bytesSent / bytesTotal) * 1000) / 10 : 0,
      bytesPerSecond: p.bytesPerSecond ?? 0,
      etaSeconds: p.etaSeconds ?? null,
      elapsedMs: p.elapsedMs ?? 0,
      message: end?.message ?? null,
      versionBefore: end?.versionBefore ?? null,
      versionAfter: end?.versionAfter ?? null
    }
  }

  /**
   * Runs a flash to its end, reporting on diag.progress. Resolves once it has started: a refusal
   * before its first step (an image for another ECU, a role that may not flash, an offline
   * vehicle) is the caller's error.
   */
  function startFlash(flashId: string, sessionId: string, target: number, flash: (signal: AbortSignal, onProgress: (p: FlashProgress) => void) => Promise<FlashResult>) {
    const controller = new AbortController()
    flashes.set(flashId, { controller, session: sessionId })
    let last: FlashProgress | undefined
    let began: () => void = () => undefined
    const started = new Promise<void>((resolve) => (began = resolve))
    const emit = (event: FlashProgressEvent) => deps.hub.emit('diag.progress', event)
    const run = async () => {
      try {
        const result = await flash(controller.signal, (p) => {
          last = p
          began()
          emit(progressEvent(flashId, sessionId, target, p))
        })
        emit(
          progressEvent(
            flashId,
            sessionId,
            target,
            { ...last, bytesSent: result.bytes, bytesTotal: result.bytes, etaSeconds: 0 },
            { state: 'succeeded', message: null, versionBefore: result.versionBefore, versionAfter: result.versionAfter }
          )
        )
      } catch (err) {
        const reported = toOtaError(err) as Error
        if (!last) throw reported
        emit(
          progressEvent(flashId, sessionId, target, last, {
            state: reported instanceof OtaError && reported.code === 'CANCELED' ? 'aborted' : 'failed',
            message: reported.message,
            versionBefore: null,
            versionAfter: null
          })
        )
      } finally {
        flashes.delete(flashId)
      }
    }
    return Promise.race([started, run()])
  }

  const handlers: HandlersOf<'diag'> = {
    'diag.discover': (input) => guard(async () => ({ vehicles: await discoverEntities(input) })),
    'diag.connect': (input) =>
      guard(async () => {
        const id = newId('dgs')
        const made = 'doip' in input ? await connectDoip(id, input.doip) : await connectRemote(id, input.vin)
        sessions.set(id, made)
        return made.view
      }),
    'diag.request': ({ session, target, operation, timeoutMs }) =>
      guard(async () => {
        const answer = await entry(session).session.request(target, operationRequest(operation), { timeoutMs })
        return {
          target,
          request: toHex(answer.request),
          response: answer.response ? toHex(answer.response) : null,
          elapsedMs: answer.elapsedMs,
          decoded: describeAnswer(answer.response, catalog)
        }
      }),
    'diag.flash': (input) =>
      guard(async () => {
        const { view, session } = entry(input.session)
        const flashId = newId('fls')
        const { bundleId, releaseId, target } = input
        if (bundleId) {
          if (view.kind !== 'doip') throw refused('An offline bundle is flashed over DoIP; a remote session flashes a published release by id.')
          if (!view.vin) throw refused('The DoIP entity did not report its VIN (F190), so the console cannot tell which vehicle of the bundle this is.')
          const vin = view.vin
          await startFlash(flashId, input.session, target, (signal, onProgress) => flashFromBundle(deps.bundles, session, { bundleId, vin, target, signal, onProgress }))
        } else {
          if (view.kind !== 'remote') throw refused('A DoIP flash takes its verified image from an offline bundle: give bundleId.')
          await startFlash(flashId, input.session, target, (signal, onProgress) => session.flash(target, { kind: 'release', releaseId: releaseId! }, { signal, onProgress }))
        }
        return { flashId }
      }),
    'diag.abort': ({ flashId }) => {
      const flash = flashes.get(flashId)
      if (!flash) throw new OtaError('NOT_FOUND', `No flash ${flashId} is running.`)
      flash.controller.abort()
    },
    'diag.close': ({ session }) =>
      guard(async () => {
        const found = entry(session)
        for (const flash of flashes.values()) if (flash.session === session) flash.controller.abort()
        sessions.delete(session)
        await found.session.close()
        deps.hub.emit('diag.state', { session, state: 'closed', detail: null })
      })
  }

  return {
    handlers,
    async close() {
      for (const flash of flashes.values()) flash.controller.abort()
      await Promise.all([...sessions.values()].map((e) => e.session.close().catch(() => undefined)))
      sessions.clear()
    }
  }
}
