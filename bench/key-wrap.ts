// Wrapping one release's data key for every vehicle of a fleet: what the backend does, spread over
// the vehicles' offers, for each release. X-Wing on Node's own ML-KEM-768 and X25519 (what the
// product runs) against, in the same run, noble's X-Wing in JavaScript and a classical
// X25519-only wrap (what bundles used before).
import { createCipheriv, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes } from 'node:crypto'
import { ml_kem768_x25519 as nobleXWing } from '@noble/post-quantum/hybrid.js'
import { unwrapDataKey, wrapDataKey } from '../src/crypto/data-key'
import { xwingKeyPair } from '../src/crypto/xwing'
import { vehicleDataKeyContext, WrappedDataKey } from '../src/shared/data-key'

const quick = process.argv.includes('--quick')
const VEHICLES = quick ? 1_000 : 100_000
// noble takes ~1 ms a wrap: a sample is enough for its per-vehicle figure.
const NOBLE_SAMPLE = quick ? 100 : 2_000
const RELEASE = 'rel_0000000000bench'

const vin = (i: number) => `BNCKW${String(i).padStart(12, '0')}`
// The fleet's public keys, made once: the backend reads them from its database.
const keys = Array.from({ length: Math.min(VEHICLES, 1_000) }, () => xwingKeyPair())
const keyOf = (i: number) => keys[i % keys.length]!
const dataKey = randomBytes(32)

const seconds = (run: () => void) => {
  const t0 = performance.now()
  run()
  return (performance.now() - t0) / 1000
}

let wrappers: WrappedDataKey[] = []
const wrapS = seconds(() => {
  wrappers = Array.from({ length: VEHICLES }, (_, i) => wrapDataKey(dataKey, keyOf(i).publicKey, vehicleDataKeyContext(vin(i), RELEASE)))
})
// Every wrapper is checked the way its vehicle opens it (a sample: each vehicle opens one).
for (let i = 0; i < VEHICLES; i += Math.ceil(VEHICLES / 200)) {
  if (!unwrapDataKey(WrappedDataKey.parse(wrappers[i]), keyOf(i).seed, vehicleDataKeyContext(vin(i), RELEASE)).equals(dataKey)) throw new Error(`vehicle ${i} cannot open its key`)
}

const nobleS = seconds(() => {
  for (let i = 0; i < NOBLE_SAMPLE; i++) nobleXWing.encapsulate(keyOf(i).publicKey)
})

const classical = Array.from({ length: keys.length }, () => generateKeyPairSync('x25519').publicKey)
const classicalS = seconds(() => {
  for (let i = 0; i < VEHICLES; i++) {
    const ephemeral = generateKeyPairSync('x25519')
    const kek = Buffer.from(hkdfSync('sha256', diffieHellman({ privateKey: ephemeral.privateKey, publicKey: classical[i % classical.length]! }), Buffer.alloc(0), vin(i), 32))
    const cipher = createCipheriv('aes-256-gcm', kek, randomBytes(12))
    Buffer.concat([cipher.update(dataKey), cipher.final(), cipher.getAuthTag()])
  }
})

const perVehicleUs = (wrapS / VEHICLES) * 1e6
const noblePerVehicleUs = (nobleS / NOBLE_SAMPLE) * 1e6
const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits
const wrapper = wrappers[0]!
console.log(
  JSON.stringify({
    vehicles: VEHICLES,
    seconds: round(wrapS),
    per_vehicle_us: round(perVehicleUs, 1),
    per_vehicle_bytes: Buffer.from(wrapper.encapsulation, 'base64').length + Buffer.from(wrapper.wrapped, 'base64').length,
    per_vehicle_json_bytes: Buffer.byteLength(JSON.stringify(wrapper)),
    noble_per_vehicle_us: round(noblePerVehicleUs, 1),
    vs_noble: round(perVehicleUs / noblePerVehicleUs),
    classical_x25519_seconds: round(classicalS),
    vs_classical: round(wrapS / classicalS)
  })
)
