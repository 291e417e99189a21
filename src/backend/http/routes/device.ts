import { createReadStream } from 'node:fs'
import { z } from 'zod'
import { ReleaseId } from '../../../shared/fleet/catalog'
import { CheckUpdate, CheckUpdateAnswer } from '../../../shared/fleet/device'
import { ApiError } from '../../../shared/fleet/errors'
import { HttpError } from '../errors'
import { parseRange } from '../range'
import { defineRoute } from '../route'
import type { Services } from './services'

export const deviceRoutes = ({ catalog, audit, db, policies }: Services) => [
  defineRoute({
    method: 'POST',
    url: '/api/v1/device/check-update',
    summary: 'A vehicle sends its ECU versions and learns what to install',
    tag: 'device',
    auth: 'device',
    body: CheckUpdate,
    responses: { 200: CheckUpdateAnswer },
    handler: async ({ body, principal }) => {
      if (principal?.kind !== 'device') throw new HttpError(403, 'forbidden', 'vehicle identity required')
      await db.run('UPDATE vehicles SET last_seen = ? WHERE vin = ?', [new Date().toISOString(), principal.vin])
      const vehicle = await db.get<{ region: string; time_zone: string; tags: string }>('SELECT region, time_zone, tags FROM vehicles WHERE vin = ?', [principal.vin])
      const gate = await policies.standingGate({
        vin: principal.vin,
        model: principal.model,
        region: vehicle?.region ?? '',
        timeZone: vehicle?.time_zone ?? 'UTC',
        tags: JSON.parse(vehicle?.tags ?? '[]') as string[]
      })
      const updates = await catalog.offers(principal.model, body, gate)
      return updates.length ? { status: 'update-available', updates } : { status: 'up-to-date' }
    }
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/device/releases/:id/artifact',
    summary: "Download a release's artifact, sealed with the vehicle model's key; Range resumes",
    tag: 'device',
    auth: 'device',
    params: z.object({ id: ReleaseId }),
    responses: { 200: 'binary', 206: 'binary', 404: ApiError, 416: ApiError },
    handler: async ({ params, principal, request, reply }) => {
      if (principal?.kind !== 'device') throw new HttpError(403, 'forbidden', 'vehicle identity required')
      const blob = await catalog.publishedBlob(params.id, principal.model)
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
      return reply.send(createReadStream(blob.path, { start, end }))
    }
  })
]
