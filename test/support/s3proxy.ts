import { spawn } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import type { S3Options } from '../../src/backend/catalog/s3-blobs'
import { freePort } from './free-port'
import { tempDir } from './temp-dir'

const JAR = join(process.env.OTA_S3PROXY_DIR ?? join(__dirname, '../../.venv/s3proxy'), 's3proxy-3.0.0-jar-with-dependencies.jar')

export interface RunningS3 {
  /** Where a backend finds it: endpoint, credentials, and a bucket of its own per call. */
  options(bucket: string): S3Options
  /** The directory it keeps objects in (bucket/name), to look at what is stored. */
  dir: string
  stop(): Promise<void>
}

/**
 * S3Proxy on a free loopback port, keeping objects in a throwaway directory: a real
 * S3-compatible server (signature v4, multipart, Content-MD5 checks), installed by
 * scripts/setup-s3proxy from Maven Central.
 */
export async function startS3(): Promise<RunningS3> {
  if (!existsSync(JAR)) throw new Error(`S3Proxy is not installed at ${JAR}: run bash scripts/setup-s3proxy`)
  const dir = tempDir('ota-s3')
  const port = await freePort()
  const credentials = { accessKeyId: 'ota-test', secretAccessKey: randomBytes(18).toString('base64url') }
  const properties = join(dir.dir, 's3proxy.conf')
  writeFileSync(
    properties,
    [
      `s3proxy.endpoint=http://127.0.0.1:${port}`,
      's3proxy.authorization=aws-v2-or-v4',
      `s3proxy.identity=${credentials.accessKeyId}`,
      `s3proxy.credential=${credentials.secretAccessKey}`,
      'jclouds.provider=filesystem',
      `jclouds.filesystem.basedir=${join(dir.dir, 'objects')}`
    ].join('\n')
  )
  const child = spawn('java', ['-jar', JAR, '--properties', properties], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`S3Proxy did not start in 60 s:\n${output}`)), 60_000)
    const seen = (chunk: Buffer) => {
      output += chunk.toString()
      if (!/Started Server/.test(output)) return
      clearTimeout(timer)
      resolve()
    }
    child.stdout.on('data', seen)
    child.stderr.on('data', seen)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`S3Proxy exited (${code}):\n${output}`))
    })
  })
  return {
    options: (bucket) => ({ endpoint: `http://127.0.0.1:${port}`, bucket, credentials }),
    dir: join(dir.dir, 'objects'),
    async stop() {
      child.kill('SIGTERM')
      await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)))
      dir.remove()
    }
  }
}
