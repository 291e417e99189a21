// Regenerates docs/asyncapi.json and docs/openapi.json from the code; CI checks they are current.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { asyncApiDocument } from '../src/backend/asyncapi'
import { openApiDocument } from '../src/backend/http/openapi'
import { BACKEND_API } from '../src/shared/http/backend-api'

const root = join(__dirname, '..')
const header = { 'x-generated': 'by scripts/gen-docs.ts from the code; do not edit' }
writeFileSync(join(root, 'docs/asyncapi.json'), `${JSON.stringify({ ...header, ...asyncApiDocument('1') }, null, 2)}\n`)
writeFileSync(join(root, 'docs/openapi.json'), `${JSON.stringify({ ...header, ...openApiDocument(BACKEND_API, '1') }, null, 2)}\n`)
