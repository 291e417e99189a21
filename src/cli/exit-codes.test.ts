import { describe, expect, it } from 'vitest'
import { DiagError, refused, timedOut } from '../core/uds-session/errors'
import { ImageUnavailableError } from '../core/workshop/failure-cause'
import { FlashAbortedError, FlashError, NegativeResponseError } from '../shared/uds-client'
import { OtaError } from '../shared/errors'
import { failureOf, UsageError, VerificationRefused } from './exit-codes'

describe('exit codes', () => {
  it('tell usage, connection, timeout, NRC, refusal, interruption and the rest apart, through a flash step that wraps them', () => {
    const nrc = new NegativeResponseError(0x1001, { requestSid: 0x34, nrc: 0x70 })
    const cases: [unknown, number, string][] = [
      [new UsageError('bad'), 1, 'usage'],
      [new OtaError('NOT_FOUND', 'no bundle'), 1, 'usage'],
      [new DiagError({ kind: 'connectionRefused', host: 'h', port: 1, reason: 'connection refused' }, 'x'), 2, 'connection'],
      [new OtaError('BACKEND_UNREACHABLE', 'x'), 2, 'connection'],
      [timedOut('p2', 1000), 3, 'timeout'],
      [new FlashError('transfer', 'transfer: timeout', { cause: timedOut('p2Star', 5500) }), 3, 'timeout'],
      [nrc, 4, 'negativeResponse'],
      [new FlashError('download', 'download: refused', { cause: nrc }), 4, 'negativeResponse'],
      [new VerificationRefused('altered'), 5, 'refused'],
      [refused('another VIN'), 5, 'refused'],
      [new ImageUnavailableError('expired', true, { cause: undefined }), 5, 'refused'],
      [new FlashError('check', 'the ECU refused the image'), 6, 'other'],
      [new OtaError('KEYCHAIN_UNAVAILABLE', 'x'), 6, 'other'],
      [new FlashAbortedError('transfer', 'aborted'), 130, 'interrupted']
    ]
    for (const [err, exit, kind] of cases) expect(failureOf(err), String(err)).toMatchObject({ exit, kind })
    expect(failureOf(nrc)).toEqual({ exit: 4, kind: 'negativeResponse', nrc: { code: '0x70', name: 'uploadDownloadNotAccepted' }, message: nrc.message })
    expect(failureOf(timedOut('routingActivation', 300)).timer).toBe('routingActivation')
  })
})
