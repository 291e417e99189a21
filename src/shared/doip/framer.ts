import { readUint } from '../uds/bytes'
import { DoipDecodeError } from './errors'
import { decodeHeader, type DoipDecodeOptions, type DoipHeader, HEADER_LENGTH } from './header'
import { decodeDoipPayload, type DoipMessage } from './message'

export type FramerEvent = { kind: 'message'; header: DoipHeader; message: DoipMessage } | { kind: 'error'; error: DoipDecodeError }

/**
 * Cuts a TCP byte stream, arriving in arbitrary chunks, into DoIP messages. The header is checked
 * before any payload byte is kept, so the framer holds at most one header and one payload of at
 * most maxPayloadLength bytes. A bad header yields an error carrying the NACK to send: after one
 * that closes the connection the framer takes no more input; after the others it skips that
 * message's payload without buffering it and carries on.
 */
export class DoipStreamFramer {
  private readonly headerBytes = new Uint8Array(HEADER_LENGTH)
  private headerFill = 0
  /** The message being read; its buffer is allocated only when the payload spans chunks. */
  private current: { header: DoipHeader; payload: { length: number; buffer?: Uint8Array }; fill: number } | undefined
  private discard = 0
  private failed = false

  constructor(private readonly options: DoipDecodeOptions = {}) {}

  /** Bytes held for incomplete messages, which never exceeds the header plus maxPayloadLength. */
  get bufferedBytes(): number {
    return this.headerFill + (this.current?.payload.buffer?.length ?? 0)
  }

  /** True once a header deserved closing the connection. */
  get closed(): boolean {
    return this.failed
  }

  push(chunk: Uint8Array): FramerEvent[] {
    const events: FramerEvent[] = []
    let offset = 0
    // Each turn consumes input or completes a message, and stops when the chunk is spent.
    while (!this.failed) {
      const available = chunk.length - offset
      if (this.discard > 0) {
        const skipped = Math.min(this.discard, available)
        this.discard -= skipped
        offset += skipped
        if (this.discard > 0) break
        continue
      }
      if (!this.current) {
        const taken = Math.min(HEADER_LENGTH - this.headerFill, available)
        this.headerBytes.set(chunk.subarray(offset, offset + taken), this.headerFill)
        this.headerFill += taken
        offset += taken
        if (this.headerFill < HEADER_LENGTH) break
        this.headerFill = 0
        const event = this.startMessage()
        if (event) events.push(event)
        continue
      }
      const { header, payload } = this.current
      // A payload wholly in this chunk is decoded where it lies, no copy (most diagnostic messages);
      // a plain view, so a Node Buffer chunk does not make Buffers of what comes out.
      if (this.current.fill === 0 && available >= payload.length) {
        this.current = undefined
        events.push({ kind: 'message', header, message: decodeDoipPayload(header, new Uint8Array(chunk.buffer, chunk.byteOffset + offset, payload.length)) })
        offset += payload.length
        continue
      }
      payload.buffer ??= new Uint8Array(payload.length)
      const taken = Math.min(payload.length - this.current.fill, available)
      payload.buffer.set(chunk.subarray(offset, offset + taken), this.current.fill)
      this.current.fill += taken
      offset += taken
      if (this.current.fill < payload.length) break
      this.current = undefined
      events.push({ kind: 'message', header, message: decodeDoipPayload(header, payload.buffer) })
    }
    return events
  }

  private startMessage(): FramerEvent | undefined {
    try {
      const header = decodeHeader(this.headerBytes, this.options)
      this.current = { header, payload: { length: header.payloadLength }, fill: 0 }
      return undefined
    } catch (error) {
      if (!(error instanceof DoipDecodeError)) throw error
      if (error.closeConnection) this.failed = true
      else this.discard = readUint(this.headerBytes.subarray(4, 8))
      return { kind: 'error', error }
    }
  }
}
