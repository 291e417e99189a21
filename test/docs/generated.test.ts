import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { asyncApiDocument } from '../../src/backend/asyncapi'
import { openApiDocument } from '../../src/backend/http/openapi'
import { BACKEND_API } from '../../src/shared/http/backend-api'
import { TOPICS } from '../../src/shared/protocol/topics'

const root = join(__dirname, '../..')
const committed = (file: string) => JSON.parse(readFileSync(join(root, 'docs', file), 'utf8')) as Record<string, unknown>
const withoutHeader = ({ 'x-generated': _, ...rest }: Record<string, unknown>) => rest

// Generated documents are committed; they must match the code (run `npx tsx scripts/gen-docs.ts`).
describe('generated API documents', () => {
  it('docs/asyncapi.json is the topic table', () => {
    expect(withoutHeader(committed('asyncapi.json'))).toEqual(JSON.parse(JSON.stringify(asyncApiDocument('1'))))
  })
  it('docs/openapi.json is the route table', () => {
    expect(withoutHeader(committed('openapi.json'))).toEqual(JSON.parse(JSON.stringify(openApiDocument(BACKEND_API, '1'))))
  })
  it('docs/protocol.md describes every topic', () => {
    const doc = readFileSync(join(root, 'docs/protocol.md'), 'utf8')
    for (const spec of Object.values(TOPICS)) expect(doc).toContain(`\`${spec.pattern}\``)
  })
})
