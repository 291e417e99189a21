/**
 * Hands text to the user as a file: a download in the browser, a save dialog in Electron. The
 * string becomes UTF-8, byte-order mark included.
 */
export function saveTextFile(text: string, fileName: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }))
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
