import { describe, expect, it } from 'vitest'
import { decodeUdsRequest, decodeUdsResponse, encodeUdsRequest, encodeUdsResponse } from './codec'
import { decodeDidValue, type DidCatalog } from './did-catalog'
import { loadDidCatalog } from './did-catalog-json'
import { UdsDecodeError } from './errors'
import { mutate, prng, sameBytes } from '../../../test/support/fuzz'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

/** Well-formed frames of every covered service, for mutation. */
const CORPUS = [
  '10 03',
  '50 03 00 32 01 F4',
  '11 81',
  '51 04 0A',
  '14 FF FF FF',
  '54',
  '19 01 08',
  '59 01 FF 01 00 02',
  '19 02 84',
  '59 02 FF 01 23 45 09 C1 23 00 2F',
  '19 04 01 23 45 01',
  '59 04 01 23 45 24 01 02 F1 86 03 12 34 00 01 00',
  '19 06 01 23 45 FF',
  '59 06 01 23 45 24 01 05 02 10 20',
  '19 0A',
  '59 0A FF 01 23 45 00',
  '22 F1 90 F1 86',
  '62 F1 86 03 12 34 00 01 00 F1 90 41',
  '2E F1 90 57 30 4C',
  '6E F1 90',
  '27 01',
  '67 01 11 22 33 44',
  '27 02 7A 17 6F 2A',
  '67 02',
  '28 81 01',
  '28 04 01 00 0A',
  '68 01',
  '31 01 FF 00 44 00 00 80 00 00 01 00 00',
  '71 01 FF 01 00',
  '34 00 44 00 00 80 00 00 01 00 00',
  '74 20 0F FA',
  '36 01 DE AD BE EF',
  '76 01',
  '37',
  '77',
  '3E 80',
  '7E 00',
  '85 82',
  'C5 02',
  '7F 22 31',
  '7F 31 78'
].map(hex)

const SIDS = [0x10, 0x11, 0x14, 0x19, 0x22, 0x27, 0x28, 0x2e, 0x31, 0x34, 0x36, 0x37, 0x3e, 0x85, 0x7f]

function randomFrame(random: () => number): Uint8Array {
  const bytes = Uint8Array.from({ length: Math.floor(random() * 24) }, () => Math.floor(random() * 256))
  // Mostly a covered SID (request or response) up front, so the fuzz reaches the service decoders.
  if (bytes.length > 0 && random() < 0.8) {
    const sid = SIDS[Math.floor(random() * SIDS.length)] as number
    bytes[0] = random() < 0.5 || sid === 0x7f ? sid : sid + 0x40
  }
  return bytes
}

/** Runs a decoder: it either returns or throws the codec's own error with a message. */
function attempt<T>(decode: () => T): T | undefined {
  try {
    return decode()
  } catch (error) {
    if (!(error instanceof UdsDecodeError) || error.message.length === 0 || !(error.nrc >= 0 && error.nrc <= 0xff)) throw error
    return undefined
  }
}

function check(frame: Uint8Array, catalog: DidCatalog): void {
  const request = attempt(() => decodeUdsRequest(frame))
  if (request && !sameBytes(encodeUdsRequest(request), frame)) expect.fail(`request ${Buffer.from(frame).toString('hex')} does not re-encode to itself`)
  const response = attempt(() => decodeUdsResponse(frame, { didCatalog: catalog }))
  if (response && !sameBytes(encodeUdsResponse(response), frame)) expect.fail(`response ${Buffer.from(frame).toString('hex')} does not re-encode to itself`)
  if (response?.service === 'readDataByIdentifier') {
    for (const { did, data } of response.records) {
      const definition = catalog.get(did)
      if (definition) attempt(() => decodeDidValue(definition, data))
    }
  }
}

describe('UDS decoders under fuzz', () => {
  it('throw only UdsDecodeError on 20,000 random and mutated frames, and re-encode what they accept', { timeout: 5000 }, () => {
    const random = prng(0x5eed)
    const catalog = loadDidCatalog({ dids: [{ id: '1234', name: 'Odometer', length: 3, type: 'uint' }] })
    for (let i = 0; i < 20_000; i++) {
      const frame = i % 2 === 0 ? randomFrame(random) : mutate(random, CORPUS[Math.floor(random() * CORPUS.length)] as Uint8Array)
      check(frame, catalog)
    }
  })

  it('accept every corpus frame on at least one side', () => {
    for (const frame of CORPUS) expect(attempt(() => decodeUdsRequest(frame)) ?? attempt(() => decodeUdsResponse(frame))).toBeDefined()
  })
})
