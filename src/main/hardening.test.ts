import type { IpcMainInvokeEvent, WebContents } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { RENDERER_URL } from './app-protocol'
import { createSenderCheck } from './hardening'

vi.mock('electron', () => ({}))

// Our window, showing the page at `url` in its main frame.
const windowAt = (url: string) => {
  const mainFrame = { url }
  return { id: 7, mainFrame } as unknown as WebContents
}
const callFrom = (contents: WebContents, frame = contents.mainFrame) => ({ sender: contents, senderFrame: frame }) as unknown as IpcMainInvokeEvent

describe('an IPC call is trusted only from our renderer on app://console', () => {
  it('from the main frame of our window at the renderer URL, whatever its query or fragment', () => {
    const contents = windowAt(`${RENDERER_URL}#/fleet`)
    expect(createSenderCheck(() => contents, RENDERER_URL)(callFrom(contents))).toBe(true)
  })

  it('not from a file:// page, another app:// host, or a sub-frame', () => {
    for (const url of ['file:///opt/ota-fleet-console/resources/app.asar/out/renderer/index.html', 'app://other/index.html']) {
      const contents = windowAt(url)
      expect(createSenderCheck(() => contents, RENDERER_URL)(callFrom(contents)), url).toBe(false)
    }
    const contents = windowAt(RENDERER_URL)
    expect(createSenderCheck(() => contents, RENDERER_URL)(callFrom(contents, { url: RENDERER_URL } as WebContents['mainFrame']))).toBe(false)
  })
})
