import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { encodeDoipMessage } from '../../src/shared/doip'
import { fromHex, toHex } from '../../src/shared/uds'
import { connectTester, udpAsk } from './doip-tester'

const root = join(__dirname, '../..')

/** Runs `npm run vehicles`' program as a user would and collects what it prints. */
function runVehicles(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/vehicle/cli.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, exited, stdout: () => stdout, stderr: () => stderr }
}

describe('npm run vehicles -- --standalone', () => {
  it('runs a vehicle with no backend, prints where it listens, and answers UDS over DoIP', async () => {
    const run = runVehicles(['--standalone', '--doip-port', '0', '--ecus', '3'])
    try {
      await expect.poll(run.stdout, { timeout: 20_000 }).toContain('Ctrl-C stops them.')
      const out = run.stdout()
      expect(out).toContain('1 standalone simulated vehicle (seed 1), no backend:')
      expect(out).toContain('ECUs: GATEWAY 0x0E00, ECU_001 0x1001, ECU_002 0x1002, ECU_003 0x1003; functional 0xE400; tester addresses 0x0E00-0x0FFF')
      const [, vin, tcp, udp] = /VIN (\w{17}): DoIP on 127\.0\.0\.1 TCP (\d+), UDP (\d+); gateway \(entity\) 0x0E00, EID [0-9a-f:]{17}/.exec(out) ?? []
      expect(vin).toBeDefined()

      const [identified] = await udpAsk(Number(udp), encodeDoipMessage({ type: 'vehicleIdentificationRequest' }))
      expect(identified?.message).toMatchObject({ type: 'vehicleAnnouncement', vin, logicalAddress: 0x0e00 })
      const tester = await connectTester(Number(tcp))
      expect(await tester.activate()).toBe(0x10)
      tester.send({ type: 'diagnosticMessage', sourceAddress: 0x0e80, targetAddress: 0x1003, userData: fromHex('22 F1 90') })
      expect(await tester.next()).toMatchObject({ type: 'diagnosticMessageAck' })
      const answer = await tester.next()
      expect(answer?.type === 'diagnosticMessage' && toHex(answer.userData)).toBe(`62F190${toHex(Uint8Array.from(vin!, (c) => c.charCodeAt(0)))}`)
      tester.close()
    } finally {
      run.child.kill('SIGTERM')
    }
    expect(await run.exited).toBe(0)
  })

  it('says what is missing when --standalone comes without --doip-port', async () => {
    const run = runVehicles(['--standalone'])
    expect(await run.exited).toBe(2)
    expect(run.stderr()).toContain('vehicles: --standalone needs --doip-port')
  })
})
