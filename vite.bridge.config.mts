import { resolve } from 'node:path'
import { defineConfig } from 'vite'

// The browser host's stand-in for the preload: one classic script that defines window.ota
// before the renderer's module script runs.
export default defineConfig({
  build: {
    outDir: resolve(import.meta.dirname, 'out/host-bridge'),
    emptyOutDir: true,
    lib: {
      entry: resolve(import.meta.dirname, 'src/host/bridge/index.ts'),
      formats: ['iife'],
      name: 'otaBridge',
      fileName: () => 'ota-bridge.js'
    }
  }
})
