import { describe, expect, it } from 'vitest'
import { mayPublish, maySubscribe, mosquittoAcl } from './authorization'

const ME = 'SMV0000000000000A'
const OTHER = 'SMV0000000000000B'

describe('MQTT authorization', () => {
  it('lets a vehicle publish only its own reports', () => {
    const me = { kind: 'vehicle' as const, vin: ME }
    expect(mayPublish(me, `ota/v1/vehicles/${ME}/presence`)).toBe(true)
    expect(mayPublish(me, `ota/v1/vehicles/${ME}/config`)).toBe(true)
    expect(mayPublish(me, `ota/v1/vehicles/${ME}/update/progress`)).toBe(true)
    expect(mayPublish(me, `ota/v1/vehicles/${ME}/diag/response`)).toBe(true)
    expect(mayPublish(me, `ota/v1/vehicles/${OTHER}/config`)).toBe(false)
    expect(mayPublish(me, `ota/v1/vehicles/${ME}/update/notify`)).toBe(false)
    expect(mayPublish(me, 'ota/v1/rollups/fleet')).toBe(false)
    expect(mayPublish(me, 'anything/else')).toBe(false)
  })

  it('lets a vehicle subscribe only to what is sent to it, without wildcards', () => {
    const me = { kind: 'vehicle' as const, vin: ME }
    expect(maySubscribe(me, `ota/v1/vehicles/${ME}/update/notify`)).toBe(true)
    expect(maySubscribe(me, `ota/v1/vehicles/${ME}/diag/request`)).toBe(true)
    expect(maySubscribe(me, `ota/v1/vehicles/${OTHER}/update/notify`)).toBe(false)
    expect(maySubscribe(me, `ota/v1/vehicles/+/update/notify`)).toBe(false)
    expect(maySubscribe(me, 'ota/v1/#')).toBe(false)
    expect(maySubscribe(me, `ota/v1/vehicles/${ME}/config`)).toBe(false)
  })

  it('gives a console rollups only, and the backend the whole protocol', () => {
    expect(maySubscribe({ kind: 'console' }, 'ota/v1/rollups/fleet')).toBe(true)
    expect(maySubscribe({ kind: 'console' }, `ota/v1/vehicles/${ME}/config`)).toBe(false)
    expect(mayPublish({ kind: 'console' }, 'ota/v1/rollups/fleet')).toBe(false)
    expect(maySubscribe({ kind: 'backend' }, 'ota/v1/vehicles/+/config')).toBe(true)
    expect(mayPublish({ kind: 'backend' }, `ota/v1/vehicles/${ME}/update/notify`)).toBe(true)
    expect(mayPublish({ kind: 'backend' }, '$SYS/x')).toBe(false)
  })

  it('writes the same rules as a Mosquitto ACL', () => {
    const acl = mosquittoAcl('ota-backend', ['console-1'])
    expect(acl).toContain('user ota-backend\ntopic readwrite ota/v1/#\n')
    expect(acl).toContain('user console-1\ntopic read ota/v1/rollups/fleet\n')
    expect(acl).toContain('pattern write ota/v1/vehicles/%u/update/progress\n')
    expect(acl).toContain('pattern read ota/v1/vehicles/%u/diag/request\n')
    expect(acl).not.toContain('pattern write ota/v1/vehicles/%u/update/notify')
  })
})
