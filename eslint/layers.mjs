// Folder rules of the layout: which src/ folder may import which, read from the import path.
import { dirname, relative, resolve, sep } from 'node:path'

const SRC = resolve(import.meta.dirname, '../src')

/** For each folder, the src/ folders it may import (itself is always allowed). */
const ALLOWED = {
  shared: [],
  net: ['shared'],
  crypto: ['shared'],
  delta: ['shared'],
  core: ['shared', 'net', 'crypto'],
  main: ['shared', 'core'],
  preload: ['shared'],
  renderer: ['shared'],
  host: ['shared', 'core'],
  backend: ['shared', 'net', 'crypto', 'delta'],
  vehicle: ['shared', 'net', 'crypto', 'delta'],
  cli: ['shared', 'core', 'net', 'crypto']
}
const NODE_BUILTIN = /^(node:|(fs|path|os|net|tls|dgram|http|https|child_process|worker_threads|crypto|stream|url|util)(\/|$))/

const folderOf = (file) => {
  const rel = relative(SRC, file)
  return rel.startsWith('..') ? undefined : rel.split(sep)[0]
}

export default {
  rules: {
    'folder-imports': {
      meta: { type: 'problem', schema: [], messages: { layer: '{{from}} may not import {{what}}: {{why}}' } },
      create(context) {
        const from = folderOf(context.filename)
        // Tests may cross folders: an end-to-end test drives the backend with a simulated vehicle.
        if (!from || !ALLOWED[from] || /\.(test|spec)\.[cm]?tsx?$/.test(context.filename)) return {}
        // The renderer's bridge to the host is browser code of the host's folder.
        const browserSide = from === 'renderer' || context.filename.includes(`${sep}host${sep}bridge${sep}`)
        const check = (node, spec) => {
          if (typeof spec !== 'string') return
          const report = (what, why) => context.report({ node, messageId: 'layer', data: { from: `src/${from}`, what, why } })
          if (spec === 'electron' && from !== 'main' && from !== 'preload') {
            return report('electron', 'only src/main and src/preload touch Electron; everything else runs in plain Node')
          }
          if (browserSide && NODE_BUILTIN.test(spec)) return report(spec, 'it runs in the browser and talks to window.ota only')
          if (!spec.startsWith('.')) return
          const target = folderOf(resolve(dirname(context.filename), spec))
          if (target && target !== from && !ALLOWED[from].includes(target)) {
            report(`src/${target}`, `src/${from} may import only ${['itself', ...ALLOWED[from].map((f) => `src/${f}`)].join(', ')}`)
          }
        }
        return {
          ImportDeclaration: (node) => check(node, node.source.value),
          ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
          ExportAllDeclaration: (node) => check(node, node.source.value),
          ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
          CallExpression: (node) =>
            node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal' && check(node, node.arguments[0].value)
        }
      }
    }
  }
}
