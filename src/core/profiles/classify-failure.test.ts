import { describe, expect, it } from 'vitest'
import { describeError } from '../../shared/errors'
import { classifyFailure } from './classify-failure'

describe('classifyFailure', () => {
  it.each([
    [{ code: 'ENOTFOUND' }, 'dns'],
    [{ code: 'EAI_AGAIN' }, 'dns'],
    [{ code: 'ECONNREFUSED' }, 'refused'],
    [{ code: 'ETIMEDOUT' }, 'timeout'],
    [{ code: 'SELF_SIGNED_CERT_IN_CHAIN' }, 'tls-untrusted'],
    [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, 'tls-untrusted'],
    [{ code: 'CERT_HAS_EXPIRED' }, 'tls-untrusted'],
    [{ code: 4 }, 'auth-rejected'],
    [{ code: 5 }, 'auth-rejected'],
    [{ code: 135 }, 'auth-rejected'],
    [{ code: 1 }, 'protocol'],
    [{ code: 'ERR_SSL_WRONG_VERSION_NUMBER' }, 'protocol'],
    [{ code: 'EPIPE' }, 'other'],
    [null, 'other']
  ])('%o is %s', (err, cause) => {
    expect(classifyFailure(err)).toBe(cause)
  })

  it('prefixes the code when the message does not carry it', () => {
    expect(describeError(Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }))).toBe('CERT_HAS_EXPIRED: certificate has expired')
    expect(describeError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe('connect ECONNREFUSED 127.0.0.1:1')
  })
})
