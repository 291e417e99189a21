import type { CallError, Result } from '../../shared/errors'

/** The renderer's only door to the core: window.ota, from the preload or the browser bridge. */
export const ota = window.ota

export class CallFailed extends Error {
  constructor(readonly error: CallError) {
    super(error.message)
  }
}

/** For calls whose failure the caller shows as a message: the value, or a CallFailed to catch. */
export async function unwrap<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending
  if (!result.ok) throw new CallFailed(result.error)
  return result.value
}
