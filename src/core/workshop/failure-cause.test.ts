import { describe, expect, it } from 'vitest'
import { FlashAbortedError, FlashError, NegativeResponseError } from '../../shared/uds-client'
import { OtaError } from '../../shared/errors'
import { DiagError, refused, timedOut } from '../uds-session/errors'
import { failureCauseOf, ImageUnavailableError } from './failure-cause'

const image = (expired: boolean, cause: unknown) => new ImageUnavailableError('refused', expired, { cause })

describe('failure cause of a workshop result', () => {
  it('names what the job breakdown shows for each way a workshop flash fails', () => {
    expect(failureCauseOf(image(true, new OtaError('INVALID_INPUT', 'expired')))).toBe('metadata-expired')
    expect(failureCauseOf(image(false, new OtaError('INVALID_INPUT', 'The payload of release x does not decrypt to the image TUF signs')))).toBe('hash-mismatch')
    expect(failureCauseOf(image(false, new OtaError('INVALID_INPUT', 'Bundle x can no longer be used: signature')))).toBe('signature-invalid')
    expect(failureCauseOf(image(false, new OtaError('CONFLICT', 'hardware')))).toBe('install-error')
    expect(failureCauseOf(new FlashAbortedError('transfer', 'aborted'))).toBe('download-interrupted')
    expect(failureCauseOf(new FlashError('transfer', 'lost', { cause: new DiagError({ kind: 'connectionClosed', reason: 'x' }, 'closed') }))).toBe('download-interrupted')
    expect(failureCauseOf(new FlashError('erase', 'slow', { cause: timedOut('p2Star', 5500) }))).toBe('download-interrupted')
    expect(failureCauseOf(new FlashError('exit', 'ECU computed CRC-32 00000000, the image has 12345678'))).toBe('hash-mismatch')
    expect(failureCauseOf(refused('another VIN'))).toBe('install-error')
    expect(failureCauseOf(new FlashError('unlock', 'nrc', { cause: new NegativeResponseError(0x1001, { requestSid: 0x27, nrc: 0x37 }) }))).toBe('install-error')
  })
})
