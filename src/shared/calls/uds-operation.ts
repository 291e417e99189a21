import { z } from 'zod'
import { DTC_REPORT, encodeUdsRequest, fromHex } from '../uds'

/** UDS bytes as a person types them: hex, spaces allowed. */
const Hex = z
  .string()
  .transform((text) => text.replace(/\s+/g, ''))
  .pipe(
    z
      .string()
      .regex(/^([0-9a-fA-F]{2})+$/, 'hex bytes, e.g. "22 F1 90"')
      .max(8192)
  )
const DidHex = z
  .string()
  .trim()
  .regex(/^(0x)?[0-9a-fA-F]{4}$/, 'a DID is 4 hex digits, e.g. F190')
  .transform((did) => did.replace(/^0x/, '').toUpperCase())

/** What a diagnostic request sends to an ECU: a named operation, or bytes a person typed (raw). */
export const DiagOperation = z.discriminatedUnion('kind', [
  /** 19 02 with the status mask: the DTCs whose status has one of these bits. */
  z.object({ kind: z.literal('readDtcs'), statusMask: z.number().int().min(1).max(0xff) }).strict(),
  /** 22 with these DIDs, in one request. */
  z.object({ kind: z.literal('readDids'), dids: z.array(DidHex).min(1).max(16) }).strict(),
  z.object({ kind: z.literal('raw'), uds: Hex }).strict()
])
export type DiagOperation = z.infer<typeof DiagOperation>

/** The UDS request of an operation, encoded by the core for a fleet run and for the Workshop alike. */
export function operationRequest(operation: DiagOperation): Uint8Array {
  switch (operation.kind) {
    case 'readDtcs':
      return encodeUdsRequest({ service: 'readDtcInformation', report: DTC_REPORT.dtcByStatusMask, statusMask: operation.statusMask })
    case 'readDids':
      return encodeUdsRequest({ service: 'readDataByIdentifier', dids: operation.dids.map((did) => parseInt(did, 16)) })
    case 'raw':
      return fromHex(operation.uds)
  }
}
