// Regenerates docs/asyncapi.json and docs/openapi.json from the code; CI checks they are current.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { asyncApiDocument } from '../src/backend/asyncapi'
import { routeTable } from '../src/backend/http/routes/table'
import { openApiDocument } from '../src/backend/http/openapi'

const root = join(__dirname, '..')
const header = { 'x-generated': 'by scripts/gen-docs.ts from the code; do not edit' }
writeFileSync(join(root, 'docs/asyncapi.json'), `${JSON.stringify({ ...header, ...asyncApiDocument('1') }, null, 2)}\n`)
writeFileSync(join(root, 'docs/openapi.json'), `${JSON.stringify({ ...header, ...openApiDocument(routeTable(), '1') }, null, 2)}\n`)
