// The ML-DSA-65 half of a target signature: signing on the backend (every published target, in
// every targets draft) and verifying on the vehicle (every update it checks), with Node 24's own
// ML-DSA (what the product runs) against @noble/post-quantum (what it ran before), in one run.
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js'
import { join } from 'node:path'
import { loadOrCreateMlDsa } from '../src/backend/tuf/keys'
import { canonicalJson } from '../src/shared/tuf/canonical-json'
import { pqMessage } from '../src/shared/tuf/metadata'
import { verifyMlDsa65 } from '../src/vehicle/tuf-client'
import { tempDir } from '../test/support/temp-dir'

const quick = process.argv.includes('--quick')
const TARGETS = quick ? 20 : 500

const data = tempDir('ota-bench-tuf-sign')
try {
  const key = loadOrCreateMlDsa(join(data.dir, 'mldsa65.key'))
  const legacy = ml_dsa65.keygen()
  const messages = Array.from({ length: TARGETS }, (_, i) => Buffer.from(canonicalJson(pqMessage(`ECU_${i}/fw-${i}.bin`, 1_048_576 + i, i.toString(16).padStart(64, '0')))))

  const time = (run: () => void) => {
    const t0 = performance.now()
    run()
    return (performance.now() - t0) / TARGETS
  }
  let nativeSigs: string[] = []
  let nobleSigs: Uint8Array[] = []
  const nativeSignMs = time(() => (nativeSigs = messages.map((m) => key.sign(m))))
  const nobleSignMs = time(() => (nobleSigs = messages.map((m) => ml_dsa65.sign(new Uint8Array(m), legacy.secretKey))))
  let ok = 0
  const nativeVerifyMs = time(() => messages.forEach((m, i) => (ok += verifyMlDsa65(key.publicKeyHex, m, nativeSigs[i]!) ? 1 : 0)))
  const nobleVerifyMs = time(() => messages.forEach((m, i) => (ok += ml_dsa65.verify(nobleSigs[i]!, new Uint8Array(m), legacy.publicKey) ? 1 : 0)))
  if (ok !== 2 * TARGETS) throw new Error(`only ${ok} of ${2 * TARGETS} signatures verified`)

  const round = (n: number) => Math.round(n * 1000) / 1000
  console.log(
    JSON.stringify({
      targets: TARGETS,
      sign_ms_native: round(nativeSignMs),
      sign_ms_noble: round(nobleSignMs),
      sign_ratio: round(nativeSignMs / nobleSignMs),
      verify_ms_native: round(nativeVerifyMs),
      verify_ms_noble: round(nobleVerifyMs),
      verify_ratio: round(nativeVerifyMs / nobleVerifyMs),
      signature_bytes: Buffer.from(nativeSigs[0]!, 'hex').length
    })
  )
} finally {
  data.remove()
}
