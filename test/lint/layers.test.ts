import { join } from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const root = join(__dirname, '../..')
const eslint = new ESLint({ cwd: root })

const layerErrors = async (file: string, code: string) => {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) })
  return result!.messages.filter((m) => m.ruleId === 'layers/folder-imports').map((m) => m.message)
}

describe('the folder-imports lint rule', () => {
  it('lets only src/main and src/preload import electron', async () => {
    expect(await layerErrors('src/core/x.ts', "import { app } from 'electron'\nexport const a = app\n")).toEqual([
      'src/core may not import electron: only src/main and src/preload touch Electron; everything else runs in plain Node'
    ])
    expect(await layerErrors('src/host/x.ts', "const e = require('electron')\nexport default e\n")).toHaveLength(1)
    expect(await layerErrors('src/main/x.ts', "import { app } from 'electron'\nexport const a = app\n")).toEqual([])
    expect(await layerErrors('src/preload/x.ts', "import { ipcRenderer } from 'electron'\nexport const i = ipcRenderer\n")).toEqual([])
  })

  it('keeps src/shared free of the other folders and the renderer free of Node and core', async () => {
    expect(await layerErrors('src/shared/x.ts', "export { createCore } from '../core/create-core'\n")).toEqual([
      'src/shared may not import src/core: src/shared may import only itself'
    ])
    expect(await layerErrors('src/renderer/src/x.ts', "import { readFileSync } from 'node:fs'\nexport const r = readFileSync\n")).toHaveLength(1)
    expect(await layerErrors('src/renderer/src/x.ts', "import { createCore } from '../../core/create-core'\nexport const c = createCore\n")).toHaveLength(1)
    expect(await layerErrors('src/renderer/src/x.ts', "import { calls } from '../../shared/contract'\nexport const c = calls\n")).toEqual([])
  })

  it('keeps the simulated fleet apart from the backend and the console', async () => {
    expect(await layerErrors('src/vehicle/x.ts', "import { a } from '../backend/a'\nexport const b = a\n")).toHaveLength(1)
    expect(await layerErrors('src/backend/x.ts', "import { a } from '../core/a'\nexport const b = a\n")).toHaveLength(1)
  })
})
