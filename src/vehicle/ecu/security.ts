import { demoXorRotateKey, NRC } from '../../shared/uds'
import { refuse } from './refusal'

export interface SecurityOptions {
  /** Security levels (odd requestSeed sub-functions) this ECU offers. */
  levels: readonly number[]
  maxAttempts: number
  /** Lock-out after maxAttempts wrong keys. */
  delayMs: number
  seedBytes: () => Uint8Array
}

/**
 * 0x27 seed and key with the demo algorithm the console shares. Wrong keys count; the last
 * allowed one answers exceedNumberOfAttempts and starts a delay during which every request is
 * answered requiredTimeDelayNotExpired. The count and the delay survive a reset, so rebooting
 * the ECU does not buy more guesses.
 */
export class SecurityAccess {
  private unlocked: number | undefined
  private seed: { level: number; bytes: Uint8Array } | undefined
  private failedAttempts = 0
  private lockedUntil = 0

  constructor(private readonly options: SecurityOptions) {}

  get unlockedLevel(): number | undefined {
    return this.unlocked
  }

  /** A session change or a reset locks the ECU again and forgets any seed handed out. */
  lock(): void {
    this.unlocked = undefined
    this.seed = undefined
  }

  requestSeed(level: number, now: number): Uint8Array {
    this.checkLevel(level)
    this.checkDelay(now)
    // A level already unlocked answers an all-zero seed, as ISO 14229-1 asks.
    if (this.unlocked === level) return new Uint8Array(this.options.seedBytes().length)
    this.seed = { level, bytes: this.options.seedBytes() }
    return this.seed.bytes
  }

  sendKey(level: number, key: Uint8Array, now: number): void {
    this.checkLevel(level)
    this.checkDelay(now)
    const seed = this.seed
    if (!seed || seed.level !== level) throw refuse(NRC.requestSequenceError, `no seed was requested for level ${level} before this key`)
    this.seed = undefined
    const expected = demoXorRotateKey(seed.bytes, level)
    if (key.length === expected.length && key.every((byte, i) => byte === expected[i])) {
      this.unlocked = level
      this.failedAttempts = 0
      return
    }
    this.failedAttempts++
    if (this.failedAttempts < this.options.maxAttempts) throw refuse(NRC.invalidKey, `wrong key, attempt ${this.failedAttempts} of ${this.options.maxAttempts}`)
    this.failedAttempts = 0
    this.lockedUntil = now + this.options.delayMs
    throw refuse(NRC.exceedNumberOfAttempts, `${this.options.maxAttempts} wrong keys: locked for ${this.options.delayMs} ms`)
  }

  private checkLevel(level: number): void {
    if (!this.options.levels.includes(level)) throw refuse(NRC.subFunctionNotSupported, `security level ${level} is not offered`)
  }

  private checkDelay(now: number): void {
    if (now < this.lockedUntil) throw refuse(NRC.requiredTimeDelayNotExpired, `locked for another ${this.lockedUntil - now} ms`)
  }
}
