import { type ByteReader, concatBytes, hexWord, u16 } from './bytes'
import { type DidCatalog, fixedDidLength } from './did-catalog'

/** A DID and its raw bytes, as 0x22 responses and 0x19 snapshot records carry them. */
export interface DidData {
  did: number
  data: Uint8Array
}

/**
 * Reads one DID and its data. The frame gives no length, so it comes from the catalog; a DID the
 * catalog does not fix (unknown or variable) takes the rest of the frame, which is right when it
 * is the last one, the usual case of a single-DID read.
 */
export function readDidData(reader: ByteReader, catalog: DidCatalog): DidData {
  const did = reader.u16('DID')
  const length = fixedDidLength(catalog, did)
  return { did, data: length === undefined ? reader.rest() : reader.take(length, `DID ${hexWord(did)}`) }
}

export function encodeDidData({ did, data }: DidData): Uint8Array {
  return concatBytes(u16(did, 'DID'), data)
}
