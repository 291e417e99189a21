import { rm } from 'node:fs/promises'
import { OtaError } from '../../shared/errors'
import type { ProfileView } from '../../shared/profile'
import { callsOf, type FeatureDeps, type HandlersOf } from '../feature'
import { createBundleService } from './bundle-service'
import { createTransfers } from './transfers'

/**
 * Offline bundles in the contract. Files travel as file ids (the renderer has no paths); the
 * service underneath takes paths and is what other core code (the workshop flash) and a CLI use.
 */
export function createBundleFeature(deps: FeatureDeps & { activeProfile(): ProfileView | undefined }) {
  const service = createBundleService({ db: deps.db, secrets: deps.secrets, dataDir: deps.dataDir, onChange: (bundleId) => deps.hub.emit('bundles.changed', { bundleId }) })
  const transfers = createTransfers(deps.dataDir)
  const { ask } = callsOf(deps)
  const profile = () => {
    const p = deps.activeProfile()
    if (!p) throw new OtaError('NO_CONNECTION', 'No connection profile is active; choose one under Connections.')
    return p
  }
  /** Runs `make` on a fresh path and hands the file out under the name it gives; nothing is left behind when it fails. */
  const made = async <T>(draft: string, make: (path: string) => Promise<T>, name: (out: T) => string) => {
    const path = transfers.pathFor(draft)
    try {
      const out = await make(path)
      return { out, file: await transfers.adopt(path, name(out)) }
    } catch (err) {
      await rm(path, { force: true })
      throw err
    }
  }

  const handlers: HandlersOf<'bundles'> = {
    'bundles.workshop': () => service.workshopStatus(profile().id),
    'bundles.registerWorkshop': ({ name }) => ask((c) => service.registerWorkshop(profile().id, c, name)),
    'bundles.workshops': async () => ({ workshops: await ask((c) => service.listWorkshops(c)) }),
    'bundles.export': async ({ jobId, ...request }) => {
      const { out, file } = await made(
        `${jobId}.otab`,
        (path) => ask((c) => service.exportBundle(c, jobId, request, path)),
        (b) => `${b.bundleId}.otab`
      )
      return { ...file, bundleId: out.bundleId }
    },
    'bundles.verify': ({ fileId }) => service.verify(transfers.path(fileId)),
    'bundles.import': ({ fileId }) => service.importBundle(transfers.path(fileId)),
    'bundles.list': () => ({ bundles: service.list() }),
    'bundles.get': ({ bundleId }) => service.get(bundleId),
    'bundles.exportResults': async ({ bundleId }) =>
      (
        await made(
          'results.otab',
          (path) => service.exportResults(bundleId, path),
          () => `${bundleId}-results.otab`
        )
      ).file,
    'bundles.importResults': ({ fileId }) => ask((c) => service.importResults(c, transfers.path(fileId))),
    'bundles.fileBegin': (input) => transfers.begin(input),
    'bundles.fileChunk': (input) => transfers.chunk(input),
    'bundles.fileFinish': (input) => transfers.finish(input),
    'bundles.fileRead': (input) => transfers.read(input),
    'bundles.fileDiscard': (input) => transfers.discard(input)
  }

  return { handlers, service, close: () => transfers.close() }
}
