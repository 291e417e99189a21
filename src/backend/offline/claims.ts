import type { Db } from '../db/db'

const CHUNK = 400

/**
 * Hands a job's queued executions to one bundle. Claimed executions keep their state (queued)
 * but the engine leaves them alone until the workshop's results come back; an expired bundle's
 * claim can be taken over by a new bundle. Claiming is one UPDATE per chunk, so a vehicle the
 * engine notifies meanwhile is simply not claimed (it left 'queued').
 */
export async function claimExecutions(tx: Db, jobId: string, bundleId: string, vins: readonly string[] | undefined, now: string) {
  const claim = (extra: string, args: unknown[]) =>
    tx.run(
      `UPDATE executions SET offline_bundle_id = ? WHERE job_id = ? AND state = 'queued'
       AND (offline_bundle_id IS NULL OR offline_bundle_id IN (SELECT id FROM offline_bundles WHERE expires_at <= ?))${extra}`,
      [bundleId, jobId, now, ...args]
    )
  if (!vins) await claim('', [])
  else
    for (let i = 0; i < vins.length; i += CHUNK) {
      const chunk = vins.slice(i, i + CHUNK)
      await claim(` AND vin IN (${chunk.map(() => '?').join(',')})`, chunk)
    }
  const claimed = (await tx.all<{ vin: string }>('SELECT vin FROM executions WHERE job_id = ? AND offline_bundle_id = ? ORDER BY vin', [jobId, bundleId])).map((r) => r.vin)
  for (let i = 0; i < claimed.length; i += CHUNK) {
    const chunk = claimed.slice(i, i + CHUNK)
    await tx.run(
      `INSERT INTO offline_bundle_vins (bundle_id, vin) VALUES ${chunk.map(() => '(?, ?)').join(', ')}`,
      chunk.flatMap((vin) => [bundleId, vin])
    )
  }
  return claimed
}

/** Why the VINs asked for could not be claimed, in words (at most five named). */
export async function unclaimable(db: Db, jobId: string, vins: readonly string[]) {
  const reasons: string[] = []
  for (const vin of vins.slice(0, 5)) {
    const row = await db.get<{ state: string; offline_bundle_id: string | null }>('SELECT state, offline_bundle_id FROM executions WHERE job_id = ? AND vin = ?', [jobId, vin])
    reasons.push(
      !row ? `${vin} is not in the job` : row.state !== 'queued' ? `${vin} is ${row.state}` : `${vin} is already in bundle ${row.offline_bundle_id}, which has not expired`
    )
  }
  return `${reasons.join('; ')}${vins.length > 5 ? `; and ${vins.length - 5} more` : ''}`
}

/** Gives a failed export's executions back to the online engine. */
export async function releaseClaims(db: Db, bundleId: string) {
  await db.transaction(async (tx) => {
    await tx.run('UPDATE executions SET offline_bundle_id = NULL WHERE offline_bundle_id = ?', [bundleId])
    await tx.run('DELETE FROM offline_bundle_vins WHERE bundle_id = ?', [bundleId])
    await tx.run('DELETE FROM offline_bundles WHERE id = ?', [bundleId])
  })
}

/** The vehicles of a bundle as the registry knows them: model, region, gateway and ECUs with logical addresses. */
export async function vehicleDetails(db: Db, vins: readonly string[]) {
  const out = []
  for (let i = 0; i < vins.length; i += CHUNK) {
    const chunk = vins.slice(i, i + CHUNK)
    const marks = chunk.map(() => '?').join(',')
    const vehicles = await db.all<{ vin: string; model: string; region: string }>(`SELECT vin, model, region FROM vehicles WHERE vin IN (${marks}) ORDER BY vin`, chunk)
    const ecus = await db.all<{ vin: string; ecu_id: string; logical_address: number; zonal_gateway: string; hardware: string; software_version: string }>(
      `SELECT vin, ecu_id, logical_address, zonal_gateway, hardware, software_version FROM ecus WHERE vin IN (${marks}) ORDER BY vin, zonal_gateway, ecu_id`,
      chunk
    )
    for (const v of vehicles) {
      const own = ecus.filter((e) => e.vin === v.vin)
      const gateway = own.find((e) => e.ecu_id === 'GATEWAY')
      out.push({
        vin: v.vin,
        model: v.model,
        region: v.region,
        gateway: gateway ? { logicalAddress: Number(gateway.logical_address), hardware: gateway.hardware, software: gateway.software_version } : null,
        ecus: own
          .filter((e) => e !== gateway)
          .map((e) => ({ id: e.ecu_id, logicalAddress: Number(e.logical_address), zonalGateway: e.zonal_gateway, hardware: e.hardware, software: e.software_version }))
      })
    }
  }
  return out
}
