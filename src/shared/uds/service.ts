import type { DidCatalog } from './did-catalog'

/** What decoding some responses needs beyond the bytes: lengths the frame itself does not carry. */
export interface UdsDecodeOptions {
  /** DID lengths for 0x22 and 0x19 04 responses; the built-in catalog when absent. */
  didCatalog?: DidCatalog
  /** Length of a 0x19 06 extended data record, by record number; undefined takes the rest of the frame. */
  extendedDataSize?: (recordNumber: number) => number | undefined
}

/** One UDS service: both directions, both sides (tester and ECU), like a python-udsoncan service class. */
export interface ServiceCodec<Request, Response> {
  readonly sid: number
  encodeRequest(request: Request): Uint8Array
  decodeRequest(bytes: Uint8Array): Request
  encodeResponse(response: Response): Uint8Array
  decodeResponse(bytes: Uint8Array, options?: UdsDecodeOptions): Response
}
