/**
 * What a broker takes from a vehicle before it drops the connection: the embedded broker enforces
 * both limits, Mosquitto the packet size, from the configuration the backend writes (docs/protocol.md).
 *
 * The largest messages a vehicle legitimately sends are a diagResponse carrying the longest UDS
 * answer (0xFFFF bytes, 128 KiB as hex) and a version report at the schema's bounds (16 zonal
 * gateways of 200 ECUs, ~470 KiB): a megabyte leaves room for both and refuses anything bigger.
 */
export const MAX_PACKET_BYTES = 1024 * 1024

/**
 * Unprompted, a vehicle sends a few messages on connect, about eight progress steps per update
 * and a remote flash's progress four times a second: 20 a second with bursts of 200 is far above
 * that. Each diagRequest the backend sends gives one back, so answering relayed requests at
 * whatever pace the backend asks never counts against it.
 */
export const VEHICLE_MESSAGE_RATE = { perSecond: 20, burst: 200 } as const
