import { writeFileSync } from 'node:fs'
import type { OtaApi } from '../../src/shared/api'
import { value } from '../support/profiles'

/** Hands a file to the core in the chunks the renderer sends; answers its file id. */
export async function sendFile(api: OtaApi, bytes: Buffer, name: string) {
  const { fileId, chunkBytes } = value(await api.bundles.fileBegin({ name, size: bytes.length }))
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
    value(await api.bundles.fileChunk({ fileId, offset, data: bytes.subarray(offset, offset + chunkBytes).toString('base64') }))
  }
  return value(await api.bundles.fileFinish({ fileId })).fileId
}

/** Reads a file the core made, chunk by chunk, as the renderer saves it. */
export async function fetchFile(api: OtaApi, fileId: string) {
  const parts: Buffer[] = []
  for (let offset = 0; ;) {
    const { data, done } = value(await api.bundles.fileRead({ fileId, offset }))
    const bytes = Buffer.from(data, 'base64')
    parts.push(bytes)
    offset += bytes.length
    if (done) return Buffer.concat(parts)
  }
}

export const saveAs = (path: string, bytes: Buffer) => (writeFileSync(path, bytes), path)

/** Waits until `check` holds (for setup, where expect.poll is not allowed). */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}
