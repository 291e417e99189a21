import { app, session, type IpcMainInvokeEvent, type WebContents } from 'electron'

/** App-wide denials: no new windows, no navigation, no webviews, no permissions. */
export function hardenApp() {
  app.enableSandbox()
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
    contents.on('will-navigate', (event) => event.preventDefault())
    contents.on('will-redirect', (event) => event.preventDefault())
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })
  app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
    session.defaultSession.setPermissionCheckHandler(() => false)
  })
}

/** A call is trusted only from the main frame of our window, showing our own renderer. */
export function createSenderCheck(window: () => WebContents | undefined, rendererUrl: string) {
  return (event: IpcMainInvokeEvent) => {
    const contents = window()
    const frame = event.senderFrame
    return contents !== undefined && event.sender.id === contents.id && frame !== null && frame === contents.mainFrame && frame.url.split(/[?#]/)[0] === rendererUrl
  }
}
