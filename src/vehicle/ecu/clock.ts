/** Time as an ECU sees it: tests pass a clock they move by hand instead of waiting. */
export interface EcuClock {
  now(): number
  sleep(ms: number): Promise<void>
}

export const realClock: EcuClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms))
}

/** FNV-1a: turns a VIN and an address into a seed, so the same vehicle always has the same ECUs. */
export function hashSeed(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0
  return hash
}
