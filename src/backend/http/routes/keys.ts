import type { BackendApi } from '../../../shared/http/backend-api'
import type { Handlers } from '../route'
import { audited, type Services } from './services'

export const keyHandlers = ({ keys, audit }: Services): Handlers<BackendApi>['keys'] => ({
  rotateModelKey: ({ params, principal }) =>
    audited(
      audit,
      principal,
      'key.rotate',
      `model-key ${params.model}`,
      () => keys.rotateModelKey(params.model),
      (r) => `v${r.version}, ${r.rewrapped} release data key(s) re-wrapped, retired ${r.retired.map((v) => `v${v}`).join(', ') || 'none'}`
    )
})
