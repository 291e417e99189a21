import { FleetRollup } from '../protocol/messages'

export const fleetCalls = {}

export const fleetEvents = {
  /** Fleet counts (total, online, by model) as the backend publishes them live. */
  'fleet.summary': FleetRollup
}
