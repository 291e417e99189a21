import { join } from 'node:path'
import { app, BrowserWindow, ipcMain } from 'electron'
import { createCore } from '../core/create-core'
import { RENDERER_URL } from './app-protocol'
import { createSenderCheck, hardenApp } from './hardening'
import { bindContract, forwardEvents } from './ipc-binding'
import { installMenu } from './menu'
import { registerAppScheme, serveRenderer } from './serve-renderer'
import { utilityLauncher } from './utility-launcher'

hardenApp()
registerAppScheme()
let window: BrowserWindow | undefined

function createWindow() {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'OTA Fleet Console',
    icon: join(__dirname, '../../resources/icon.png'),
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false
    }
  })
  win.once('ready-to-show', () => win.show())
  win.loadURL(RENDERER_URL)
  return win
}

app.whenReady().then(async () => {
  serveRenderer(join(__dirname, '../renderer'))
  const core = await createCore({ dataDir: app.getPath('userData'), version: app.getVersion(), sandbox: { launcher: utilityLauncher(__dirname) }, checkContract: !app.isPackaged })
  bindContract(
    ipcMain,
    core,
    createSenderCheck(() => window?.webContents, RENDERER_URL)
  )
  installMenu()
  window = createWindow()
  forwardEvents(core, window.webContents)
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) {
      window = createWindow()
      forwardEvents(core, window.webContents)
    }
  })
  // The sandbox's child processes must end with the app: close the core before quitting.
  let closed = false
  app.on('before-quit', (event) => {
    if (closed) return
    event.preventDefault()
    void core.close().finally(() => {
      closed = true
      app.quit()
    })
  })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
