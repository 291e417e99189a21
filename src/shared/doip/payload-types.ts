import { hexWord } from '../uds/bytes'

/** Every payload type of ISO 13400-2 and the payload lengths it allows; header checks use these. */
const PAYLOAD_TYPES = {
  genericNack: { id: 0x0000, lengths: [1] },
  vehicleIdentificationRequest: { id: 0x0001, lengths: [0] },
  vehicleIdentificationRequestByEid: { id: 0x0002, lengths: [6] },
  vehicleIdentificationRequestByVin: { id: 0x0003, lengths: [17] },
  // VIN 17, logical address 2, EID 6, GID 6, further action 1, and the optional VIN/GID sync status.
  vehicleAnnouncement: { id: 0x0004, lengths: [32, 33] },
  // Source address 2, activation type 1, reserved 4, optional OEM-specific 4.
  routingActivationRequest: { id: 0x0005, lengths: [7, 11] },
  // Tester address 2, entity address 2, response code 1, reserved 4, optional OEM-specific 4.
  routingActivationResponse: { id: 0x0006, lengths: [9, 13] },
  aliveCheckRequest: { id: 0x0007, lengths: [0] },
  aliveCheckResponse: { id: 0x0008, lengths: [2] },
  entityStatusRequest: { id: 0x4001, lengths: [0] },
  // Node type, max sockets, open sockets, optional max data size (4).
  entityStatusResponse: { id: 0x4002, lengths: [3, 7] },
  powerModeRequest: { id: 0x4003, lengths: [0] },
  powerModeResponse: { id: 0x4004, lengths: [1] },
  // Source and target address, then at least one byte: user data, or the ack/nack code.
  diagnosticMessage: { id: 0x8001, minLength: 5 },
  diagnosticMessageAck: { id: 0x8002, minLength: 5 },
  diagnosticMessageNack: { id: 0x8003, minLength: 5 }
} as const satisfies Record<string, { id: number; lengths: readonly number[] } | { id: number; minLength: number }>

export type DoipMessageType = keyof typeof PAYLOAD_TYPES

/** Payload type ids by name, e.g. PAYLOAD_TYPE.diagnosticMessage = 0x8001. */
export const PAYLOAD_TYPE = Object.fromEntries(Object.entries(PAYLOAD_TYPES).map(([name, { id }]) => [name, id])) as {
  readonly [K in DoipMessageType]: (typeof PAYLOAD_TYPES)[K]['id']
}

const NAME_BY_ID = new Map<number, DoipMessageType>(Object.entries(PAYLOAD_TYPES).map(([name, { id }]) => [id, name as DoipMessageType]))

export const payloadTypeName = (id: number): DoipMessageType | undefined => NAME_BY_ID.get(id)

/** Why `length` is not a valid payload length for the type, or undefined when it is. */
export function payloadLengthProblem(type: DoipMessageType, length: number): string | undefined {
  const rule = PAYLOAD_TYPES[type]
  const id = hexWord(rule.id)
  if ('minLength' in rule) return length < rule.minLength ? `payload type ${id} needs at least ${rule.minLength} bytes, got ${length}` : undefined
  const lengths: readonly number[] = rule.lengths
  return lengths.includes(length) ? undefined : `payload type ${id} takes ${lengths.join(' or ')} bytes, got ${length}`
}
