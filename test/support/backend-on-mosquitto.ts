import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createMosquittoFiles } from '../../src/backend/mqtt/mosquitto-files'
import { startBackend, type BackendOptions } from '../../src/backend/server'
import { startMosquitto } from './mosquitto'
import { makePki } from './pki'
import { tempDir } from './temp-dir'

/**
 * A real Mosquitto (TLS, persistence, the password file, ACL, limits, device CA and CRL the backend
 * writes) with the backend as its client and a listener for vehicles' device certificates;
 * `consoleUsers` get read access to rollups.
 */
export async function startBackendOnMosquitto(name: string, options: Partial<BackendOptions> = {}, consoleUsers: string[] = []) {
  const dir = tempDir(name)
  const pki = makePki(dir.dir)
  const secret = randomBytes(16).toString('hex')
  const mosquittoDir = join(dir.dir, 'mosquitto')
  const files = createMosquittoFiles(mosquittoDir, 'ota-backend', secret, consoleUsers)
  const persistence = join(dir.dir, 'persist')
  mkdirSync(persistence)
  // Mosquitto drops to its own user and must write its persistence file here.
  chmodSync(persistence, 0o777)
  const broker = await startMosquitto(dir.dir, pki, {}, { passwordFile: files.passwd, aclFile: files.acl, persistenceDir: persistence, includeDir: mosquittoDir })
  const backend = await startBackend({
    dataDir: join(dir.dir, 'backend'),
    tlsCertFile: pki.serverCertFile,
    tlsKeyFile: pki.serverKeyFile,
    tlsCaFile: pki.caCertFile,
    mqttUrl: `mqtts://ota-backend:${secret}@127.0.0.1:${broker.port}`,
    mqttCaFile: pki.caCertFile,
    mosquittoDir,
    mosquittoConsoleUsers: consoleUsers,
    mosquittoReload: () => broker.reload(),
    log: () => {},
    ...options
  })
  // The backend has written the device CA and its CRL: now the vehicles' listener can open.
  const vehicleUrl = await broker.addVehicleListener({ caFile: files.deviceCa, crlFile: files.crl })
  return {
    pki,
    broker,
    backend,
    files,
    /** Where vehicles connect: the listener that takes device certificates. */
    vehicleUrl,
    /** Makes Mosquitto read newly added accounts (SIGHUP) and gives it a moment. */
    async reloadAccounts() {
      broker.reload()
      await new Promise((r) => setTimeout(r, 500))
    },
    async close() {
      await backend.close()
      await broker.stop()
      dir.remove()
    }
  }
}
export type BackendOnMosquitto = Awaited<ReturnType<typeof startBackendOnMosquitto>>
