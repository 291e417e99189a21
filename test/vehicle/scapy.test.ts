import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeUdsResponse, fromHex } from '../../src/shared/uds'
import { startDoipEntity, type DoipEntity } from '../../src/vehicle/doip/entity'
import { createEcuNetwork, type EcuNetwork } from '../../src/vehicle/ecu/network'
import type { EcuServer } from '../../src/vehicle/ecu/server'
import { vehicleSpec } from '../../src/vehicle/fleet-spec'
import { seeded } from '../../src/vehicle/random'
import { manualClock } from './harness'

// Debian's python with python3-scapy (scripts/setup-system), not whatever python3 is first on PATH.
const PYTHON = '/usr/bin/python3'
const SCRIPT = join(__dirname, 'scapy_doip.py')

/**
 * The vehicle with its ECU at `address` taking each request only once `answer` lets it, as a real
 * ECU answers some milliseconds after its gateway's ack; the ECU itself is untouched.
 */
function heldEcu(base: EcuNetwork, address: number, answer: () => Promise<void>): EcuNetwork {
  const real = base.server(address)!
  const held: EcuServer = {
    ...real,
    async handle(request, send, options) {
      await answer()
      return real.handle(request, send, options)
    }
  }
  return { ...base, servers: base.servers.map((s) => (s === real ? held : s)), server: (a) => (a === address ? held : base.server(a)) }
}

/** A permit per signal: `wait` resolves once a signal is there for it. */
function permits() {
  const waiting: (() => void)[] = []
  let granted = 0
  return {
    wait: () => (granted > 0 ? (granted--, Promise.resolve()) : new Promise<void>((resolve) => waiting.push(resolve))),
    signal: () => (waiting.length > 0 ? waiting.shift()!() : granted++)
  }
}

/** Runs the script, calling `acked` at each "ack" line it prints; answers its last line, parsed. */
function runScapy(args: string[], acked: () => void): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 })
    let out = ''
    let err = ''
    let acks = 0
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk
      // The last piece may be a line still coming.
      const complete = out
        .split('\n')
        .slice(0, -1)
        .filter((line) => line === 'ack').length
      for (; acks < complete; acks++) acked()
    })
    child.stderr.on('data', (chunk: Buffer) => (err += chunk))
    child.once('error', reject)
    child.once('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`scapy_doip.py exited ${code}:\n${err}`))))
  })
}

describe('the simulated DoIP entity, as scapy sees it', () => {
  let network: EcuNetwork
  let entity: DoipEntity
  const ecuAnswers = permits()
  beforeAll(async () => {
    // A clock that stands still: the DTC statuses scapy reads are the ones the ECU reports after it.
    network = createEcuNetwork({ config: structuredClone(vehicleSpec(seeded(4), 0, ['model_b'], 2).config), clock: manualClock() })
    entity = await startDoipEntity({ network: heldEcu(network, 0x1001, ecuAnswers.wait), tcpPort: 0, announce: false })
  })
  afterAll(() => entity.close())

  it("identifies the vehicle, activates routing, reads the VIN and the DTCs (each ack, then the answer) with scapy.contrib.automotive's DoIPSocket", async () => {
    expect(existsSync(PYTHON), `${PYTHON} is missing: run scripts/setup-system (python3-scapy)`).toBe(true)
    const seen = await runScapy(['127.0.0.1', String(entity.tcpPort), String(entity.udpPort), '0x1001'], ecuAnswers.signal)
    const vin = network.vin
    const eid = Array.from(entity.info.eid, (b) => b.toString(16).padStart(2, '0')).join('')
    expect(seen.announcement).toEqual({ payload_type: 4, vin, logical_address: 0x0e00, eid, gid: eid, further_action: 0 })
    expect(seen.routing).toEqual({ target_address: 0x0e00, payload_type: 6, code: 0x10, tester: 0x0e80, entity: 0x0e00 })
    expect(seen.vin).toEqual({ ack: 0x8002, ack_code: 0, source_address: 0x1001, target_address: 0x0e80, service: 0x62, did: 0xf190, value: vin })

    const own = decodeUdsResponse((await network.server(0x1001)!.request(fromHex('19 02 FF')))!)
    if (own.service !== 'readDtcInformation' || own.report !== 0x02) throw new Error('the ECU did not answer 19 02')
    expect(own.dtcs.length).toBeGreaterThan(0)
    expect(seen.dtcs).toEqual({ ack: 0x8002, service: 0x59, report_type: 2, availability_mask: 0xff, records: own.dtcs.map((d) => [d.dtc, d.status]) })
    expect(seen.unknown_target).toEqual({ payload_type: 0x8003, nack_code: 0x03 })
  })
})
