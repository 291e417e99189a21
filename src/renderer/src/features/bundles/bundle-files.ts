import { saveFile as download } from '../../components/save-file'
import { ota, unwrap } from '../../ota'

const base64Of = (bytes: Uint8Array) => {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}
const bytesOf = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))

/** Hands a chosen file to the core in the chunks the contract takes, telling how far it got; answers its file id. */
export async function sendFile(file: File, onProgress: (sent: number) => void) {
  const { fileId, chunkBytes } = await unwrap(ota.bundles.fileBegin({ name: file.name, size: file.size }))
  for (let offset = 0; offset < file.size;) {
    const data = base64Of(new Uint8Array(await file.slice(offset, offset + chunkBytes).arrayBuffer()))
    offset = (await unwrap(ota.bundles.fileChunk({ fileId, offset, data }))).received
    onProgress(offset)
  }
  await unwrap(ota.bundles.fileFinish({ fileId }))
  return fileId
}

/** Saves a file the core made (a results file) as a download, then lets the core forget it. */
export async function saveFile(fileId: string, name: string) {
  const parts: Uint8Array<ArrayBuffer>[] = []
  for (let offset = 0; ;) {
    const { data, done } = await unwrap(ota.bundles.fileRead({ fileId, offset }))
    const bytes = bytesOf(data)
    parts.push(bytes)
    offset += bytes.length
    if (done) break
  }
  void ota.bundles.fileDiscard({ fileId })
  download(parts, name, 'application/octet-stream')
}
