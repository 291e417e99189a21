import { createServer, type Server } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeUdsResponse, formatDtc, fromHex } from '../../src/shared/uds'
import { startDoipEntity, type DoipEntity } from '../../src/vehicle/doip/entity'
import { createEcuNetwork, type EcuNetwork } from '../../src/vehicle/ecu/network'
import { vehicleSpec } from '../../src/vehicle/fleet-spec'
import { seeded } from '../../src/vehicle/random'
import { freePort } from '../support/free-port'
import { otactl } from './support'

// otactl diag as a process against a simulated vehicle's DoIP entity: what it prints for people
// and for scripts, and the exit codes that tell a negative response, a timeout, a connection
// failure and a mistake in the command line apart.
describe('otactl diag', () => {
  let entity: DoipEntity
  let network: EcuNetwork
  let vin: string
  let doip: string

  beforeAll(async () => {
    const config = structuredClone(vehicleSpec(seeded(11), 0, ['model_a'], 2).config)
    vin = config.vin
    network = createEcuNetwork({ config })
    entity = await startDoipEntity({ network, tcpPort: 0, announce: false })
    doip = `127.0.0.1:${entity.tcpPort}`
  })
  afterAll(async () => {
    await entity?.close()
  })

  it('reads the VIN for people and for scripts', async () => {
    // Two testers on one entity at once need two source addresses (the entity denies a live one's address, 03).
    const [human, json] = await Promise.all([
      otactl('diag', '--doip', doip, '--ecu', '0x1001', 'read-did', 'F190', 'F195'),
      otactl('diag', '--doip', doip, '--ecu', '1001', '--tester', '0E81', 'read-did', 'F190', '--json')
    ])
    expect(human).toMatchObject({ code: 0, stderr: '' })
    expect(human.stdout).toBe(`F190  VIN: ${vin}\nF195  System supplier ECU software version: 1.0.0\n`)
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout)).toEqual({
      ecu: '0x1001',
      results: [{ command: 'read-did', dids: [{ did: 'F190', name: 'VIN', value: vin, data: Buffer.from(vin).toString('hex').toUpperCase() }] }]
    })
  })

  it('lists the DTCs the ECU holds, with their status bits', async () => {
    const run = await otactl('diag', '--doip', doip, '--ecu', '0x1002', 'read-dtcs', '--json')
    expect(run.code).toBe(0)
    const answer = decodeUdsResponse((await network.server(0x1002)!.request(fromHex('19 02 FF')))!)
    if (answer.service !== 'readDtcInformation' || answer.report !== 0x02) throw new Error('the ECU did not list its DTCs')
    expect(answer.dtcs.length).toBeGreaterThan(0)
    const [result] = JSON.parse(run.stdout).results
    expect(result.dtcs.map((d: { dtc: string }) => d.dtc)).toEqual(answer.dtcs.map((d) => formatDtc(d.dtc)))
    expect(result.dtcs[0]).toEqual({
      dtc: formatDtc(answer.dtcs[0]!.dtc),
      code: expect.stringMatching(/^[0-9A-F]{6}$/),
      status: expect.stringMatching(/^0x[0-9A-F]{2}$/),
      statusBits: expect.any(Array)
    })
    // The monitors keep running, so the status bits may differ between two reads; the DTCs do not.
    const human = await otactl('diag', '--doip', doip, '--ecu', '0x1002', 'read-dtcs')
    const lines = human.stdout.trim().split('\n')
    expect(lines.map((l) => l.split('  ')[0])).toEqual(result.dtcs.map((d: { dtc: string }) => d.dtc))
    expect(lines[0]).toMatch(/^[PCBU][0-9A-F]{4}-[0-9A-F]{2} {2}status 0x[0-9A-F]{2}(: [a-zA-Z, ]+)?$/)
  })

  it('exits 4 naming the NRC when the ECU refuses: writing the VIN, which is read-only', async () => {
    const steps = ['session', 'extended', 'then', 'security', 'then', 'write-did', 'F190', 'SMV00000000000000']
    const run = await otactl('diag', '--doip', doip, '--ecu', '0x1001', ...steps)
    expect(run.code).toBe(4)
    expect(run.stdout).toContain('0x1001: security level 0x01 unlocked')
    expect(run.stderr).toContain('otactl diag: ECU 0x1001: 0x2E refused: requestOutOfRange (0x31)')
    const json = await otactl('diag', '--doip', doip, '--ecu', '0x1001', ...steps, '--json')
    expect(json.code).toBe(4)
    const out = JSON.parse(json.stdout)
    expect(out.results.map((r: { command: string }) => r.command)).toEqual(['session', 'security'])
    expect(out.error).toMatchObject({ kind: 'negativeResponse', exit: 4, nrc: { code: '0x31', name: 'requestOutOfRange' } })
  })

  it('exits 3 when nothing answers DoIP on the port, 2 when nothing listens, 1 for a command it cannot parse', async () => {
    const silent: Server = createServer(() => {})
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const closedPort = await freePort()
    try {
      const port = (silent.address() as { port: number }).port
      const [timeout, refused, usage] = await Promise.all([
        otactl('diag', '--doip', `127.0.0.1:${port}`, '--ecu', '0x1001', '--timeout', '300', 'read-did', 'F190', '--json'),
        otactl('diag', '--doip', `127.0.0.1:${closedPort}`, '--ecu', '0x1001', 'read-did', 'F190'),
        // Bad input is refused before any connection is tried, so the closed port does not matter.
        otactl('diag', '--doip', `127.0.0.1:${closedPort}`, '--ecu', '0x1001', 'read-did', 'VIN')
      ])
      expect(timeout.code).toBe(3)
      expect(JSON.parse(timeout.stdout).error).toEqual({
        kind: 'timeout',
        exit: 3,
        timer: 'routingActivation',
        message: 'Timeout routingActivation: no routing activation response came (A_DoIP_Ctrl) within 300 ms'
      })
      expect(refused.code).toBe(2)
      expect(refused.stderr).toContain(`Could not connect to the DoIP entity at 127.0.0.1:${closedPort}: connection refused`)
      expect(usage.code).toBe(1)
      expect(usage.stderr).toContain('DID "VIN" must be hex of at most 4 digits, got "VIN"')
    } finally {
      silent.close()
    }
  })

  it('sends raw bytes and shows the answer', async () => {
    const run = await otactl('diag', '--doip', doip, '--ecu', '0x1001', 'raw', '22F190', 'then', 'raw', '3E80', 'then', 'tester-present')
    expect(run.code).toBe(0)
    const lines = run.stdout.trim().split('\n')
    expect(lines[0]).toMatch(new RegExp(`^62F190${Buffer.from(vin).toString('hex').toUpperCase()}  \\(readDataByIdentifier, \\d+ ms\\)$`))
    expect(lines.slice(1)).toEqual(['0x1001 sent no response (positive response suppressed).', '0x1001 answered tester present.'])
  })
})
