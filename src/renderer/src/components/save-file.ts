/**
 * Hands bytes or text to the user as a file: a download in the browser, a save dialog in
 * Electron. Text becomes UTF-8 (a byte-order mark in it is kept).
 */
export function saveFile(parts: BlobPart[], fileName: string, type: string) {
  const url = URL.createObjectURL(new Blob(parts, { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.hidden = true
  document.body.append(link)
  link.click()
  link.remove()
  // The download has its own reference once started; release ours a little later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
