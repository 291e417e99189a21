import semver from 'semver'
import type { StandingRule } from '../../shared/fleet/jobs'
import { windowOpen } from './maintenance'

export interface AskingVehicle {
  vin: string
  model: string
  region: string
  timeZone: string
  tags: readonly string[]
}

/**
 * Whether a standing rule offers its release to this vehicle, whose ECU runs `current`, now:
 * the selection matches, the dates have begun and not ended, and a maintenance window is open
 * in the vehicle's local time.
 */
export function standingAllows(rule: StandingRule, vehicle: AskingVehicle, current: string, nowMs: number): boolean {
  const s = rule.selection
  if (s.models && !s.models.includes(vehicle.model)) return false
  if (s.regions?.length && !s.regions.includes(vehicle.region)) return false
  if (s.tags?.some((t) => !vehicle.tags.includes(t))) return false
  if (s.vins && !s.vins.includes(vehicle.vin)) return false
  if (s.versionRange && !(semver.valid(current) && semver.satisfies(current, s.versionRange))) return false
  if (rule.startAt && Date.parse(rule.startAt) > nowMs) return false
  if (rule.endAt && Date.parse(rule.endAt) <= nowMs) return false
  return windowOpen(rule.maintenanceWindows, nowMs, vehicle.timeZone)
}
