import type { UdsPositiveResponse, UdsRequest } from '../../shared/uds'
import type { EcuClock } from './clock'
import type { DtcMemory } from './dtc-memory'
import type { Programming } from './programming'
import type { SecurityAccess } from './security'

/** The part of the vehicle's version report an ECU owns: a flash changes `software` in place. */
export interface EcuNode {
  logicalAddress: number
  hardware: string
  software: string
}

/** Timing and limits of one ECU; every field has a default (see DEFAULT_ECU_SETTINGS). */
export interface EcuSettings {
  /** S3: a non-default session without a request for this long falls back to the default session. */
  s3Ms: number
  /** Announced in the 0x10 response; the ECU sends 7F SID 78 before P2 when work takes longer. */
  p2Ms: number
  p2StarMs: number
  maxKeyAttempts: number
  securityDelayMs: number
  /** How long erasing takes (answered 7F 31 78 first). */
  eraseMs: number
  /**
   * Advertised by 0x34; it counts the 0x36 SID and block counter, so blocks carry 2 bytes less.
   * The default, 4096, is also the most UDS bytes one MQTT diagRequest carries.
   */
  maxNumberOfBlockLength: number
  /** Length of an operation cycle: DTC monitors run once per cycle. */
  dtcCycleMs: number
  /** Operation cycles the ECU has been through when the simulation starts, so its DTCs have a history. */
  dtcHistoryCycles: number
}

export const DEFAULT_ECU_SETTINGS: EcuSettings = {
  s3Ms: 5000,
  p2Ms: 50,
  p2StarMs: 5000,
  maxKeyAttempts: 3,
  securityDelayMs: 10_000,
  eraseMs: 300,
  maxNumberOfBlockLength: 0x1000,
  dtcCycleMs: 30_000,
  dtcHistoryCycles: 6
}

/** What an ECU knows about itself beyond the report: the values its identification DIDs return. */
export interface EcuIdentity {
  vin: string
  /** "ECU_001", or "GATEWAY" for the gateway. */
  name: string
  systemName: string
  sparePartNumber: string
  softwareNumber: string
  serialNumber: string
  supplier: string
  /** BCD YYMMDD. */
  manufacturingDate: string
}

/** DIDs a tester may write (0x2E), with their current values. */
export interface WritableData {
  repairShopCode: string
  /** BCD YYYYMMDD. */
  programmingDate: string
  fingerprint: Uint8Array
}

export interface EcuContext {
  readonly identity: EcuIdentity
  readonly node: EcuNode
  readonly clock: EcuClock
  readonly settings: EcuSettings
  session: number
  readonly security: SecurityAccess
  readonly programming: Programming
  readonly dtcs: DtcMemory
  readonly data: WritableData
  /** Odometer and battery now: readable DIDs and what a DTC snapshot records. */
  environment(at: number): { odometerKm: number; batteryMv: number }
  /** Enters a session as 0x10 does: security locks, a download in progress stops. */
  enterSession(session: number): void
  /** 0x11: the ECU restarts after answering, and activates freshly programmed software. */
  reboot(): void
}

/** What a service handler may do besides answering. */
export interface HandlerIo {
  /** Slow work: answers 7F SID 78 (again before each P2* runs out) while it waits `ms`. */
  busy(ms: number): Promise<void>
  /** Runs once the response is on its way (a reset reboots after answering). */
  afterResponse(action: () => void): void
}

export type ServiceHandler<S extends UdsRequest['service']> = (
  request: Extract<UdsRequest, { service: S }>,
  ecu: EcuContext,
  io: HandlerIo
) => UdsPositiveResponse | Promise<UdsPositiveResponse>
