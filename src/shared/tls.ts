import { ALL_GROUPS, groupLevel } from './security-profiles'

/**
 * The key-exchange groups every link offers when nothing narrows them (see ALL_GROUPS): a
 * hybrid with ML-KEM first (X25519MLKEM768, TLS group 0x11ec), classical groups last.
 */
export const KEY_EXCHANGE_GROUPS = ALL_GROUPS.join(':')

/** Whether the group a handshake settled on has ML-KEM in it. */
export const isQuantumSafeGroup = (group: string | null | undefined) => groupLevel(group) > 0
