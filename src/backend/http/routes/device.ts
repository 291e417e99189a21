import type { TLSSocket } from 'node:tls'
import type { BackendApi } from '../../../shared/http/backend-api'
import { channelSees, STABLE } from '../../../shared/fleet/catalog'
import { HttpError } from '../errors'
import { parseRange } from '../range'
import type { Handlers } from '../route'
import { serialOf } from './pki'
import type { Services } from './services'

export const deviceHandlers = (services: Services): Handlers<BackendApi>['device'] => {
  const { catalog, audit, db, policies, dataKeys, certificates, deployments } = services
  // A vehicle fetches only what its channel offers it (a job notifies only those, too), or what a
  // release set sent to it holds: set members may sit on a channel of their own, offered alone to none.
  const channelMustSee = async (vin: string, channels: string[], releaseId: string) => {
    const channel = (await db.get<{ channel: string | null }>('SELECT channel FROM vehicles WHERE vin = ?', [vin]))?.channel ?? null
    if (!channelSees(channel, channels) && !(await deployments.pendingFor(vin, releaseId)))
      throw new HttpError(404, 'not-found', `release ${releaseId} is not on this vehicle's channel (${channel ?? STABLE})`)
  }
  return {
    checkUpdate: async ({ body, principal }) => {
      if (principal?.kind !== 'device') throw new HttpError(403, 'forbidden', 'vehicle identity required')
      await db.run('UPDATE vehicles SET last_seen = ? WHERE vin = ?', [new Date().toISOString(), principal.vin])
      const vehicle = await db.get<{ region: string; time_zone: string; tags: string; channel: string | null }>(
        'SELECT region, time_zone, tags, channel FROM vehicles WHERE vin = ?',
        [principal.vin]
      )
      const gate = await policies.standingGate({
        vin: principal.vin,
        model: principal.model,
        region: vehicle?.region ?? '',
        timeZone: vehicle?.time_zone ?? 'UTC',
        tags: JSON.parse(vehicle?.tags ?? '[]') as string[]
      })
      const updates = await Promise.all((await catalog.offers(principal.model, body, gate, vehicle?.channel ?? null)).map((offer) => dataKeys.keyed(principal.vin, offer)))
      return updates.length ? { status: 'update-available', updates } : { status: 'up-to-date' }
    },
    artifact: async ({ params, principal, request, reply }) => {
      if (principal?.kind !== 'device') throw new HttpError(403, 'forbidden', 'vehicle identity required')
      const blob = await catalog.publishedBlob(params.id, principal.model)
      await channelMustSee(principal.vin, blob.release.channels, params.id)
      const range = parseRange(request.headers.range, blob.size)
      if (range === 'unsatisfiable') {
        reply.header('content-range', `bytes */${blob.size}`)
        throw new HttpError(416, 'range-not-satisfiable', `The artifact has ${blob.size} bytes; the range ${request.headers.range} lies outside it`)
      }
      const { start, end } = range ?? { start: 0, end: blob.size - 1 }
      await db.run('INSERT INTO downloads (release_id, vin, range_start, range_end, at) VALUES (?, ?, ?, ?, ?)', [params.id, principal.vin, start, end, new Date().toISOString()])
      await audit.record({
        actor: `vehicle:${principal.vin}`,
        role: 'device',
        action: 'artifact.download',
        object: params.id,
        outcome: 'ok',
        detail: `bytes ${start}-${end}/${blob.size}`
      })
      reply
        .status(range ? 206 : 200)
        .header('content-type', 'application/octet-stream')
        .header('accept-ranges', 'bytes')
        .header('content-length', end - start + 1)
        .header('etag', `"${blob.sha256}"`)
      if (range) reply.header('content-range', `bytes ${start}-${end}/${blob.size}`)
      return reply.send(await blob.open({ start, end }))
    },
    delta: async ({ params, principal, reply }) => {
      if (principal?.kind !== 'device') throw new HttpError(403, 'forbidden', 'vehicle identity required')
      const blob = await catalog.publishedDelta(params.id, principal.model, params.from)
      await channelMustSee(principal.vin, blob.release.channels, params.id)
      await audit.record({
        actor: `vehicle:${principal.vin}`,
        role: 'device',
        action: 'artifact.download',
        object: params.id,
        outcome: 'ok',
        detail: `delta from ${params.from}: ${blob.size} bytes`
      })
      reply.status(200).header('content-type', 'application/octet-stream').header('content-length', blob.size).header('etag', `"${blob.sha256}"`)
      return reply.send(await blob.open())
    },
    enrol: ({ body }) => certificates.enrol(body),
    certificate: async ({ request }) => {
      const serial = await serialOf(services, request.raw.socket as TLSSocket)
      if (!serial) throw new HttpError(403, 'forbidden', 'only a vehicle on its device certificate may ask about it')
      return certificates.get(serial)
    },
    renew: async ({ body, principal, request }) => {
      const serial = await serialOf(services, request.raw.socket as TLSSocket)
      if (principal?.kind !== 'device' || !serial) throw new HttpError(403, 'forbidden', 'a certificate is renewed over mTLS with the current one')
      return certificates.renew(principal, serial, body.csrPem)
    }
  }
}
