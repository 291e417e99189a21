/**
 * Computes the key for a 0x27 seed. Real algorithms are OEM secrets living in a tester's plug-in;
 * the codec only fixes this shape. `level` is the odd requestSeed sub-function (0x01, 0x03, ...).
 */
export type SecurityKeyAlgorithm = (seed: Uint8Array, level: number) => Uint8Array

const rotateLeft3 = (byte: number): number => ((byte << 3) | (byte >> 5)) & 0xff

/**
 * DEMO ONLY, NOT SECURITY: the algorithm our vehicle simulator and tester share, so that flashing
 * a simulated ECU walks through a real seed/key exchange. Anyone who sees one seed and key
 * recovers it.
 *
 * For level L the constant is C = 0x5EC0DE00 + L (4 bytes, big-endian); key byte i is
 * rotateLeft8(seed[i] XOR C[i mod 4], 3). The key has the seed's length.
 */
export const demoXorRotateKey: SecurityKeyAlgorithm = (seed, level) => {
  const constant = [0x5e, 0xc0, 0xde, level & 0xff]
  return seed.map((byte, i) => rotateLeft3(byte ^ (constant[i % 4] as number)))
}
