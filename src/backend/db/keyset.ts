import { badRequest } from '../http/errors'

/** A keyset cursor: the sort value and the unique key of the last row seen, so no page scans with OFFSET. */
export const encodeCursor = (value: string, key: string) => Buffer.from(JSON.stringify([value, key])).toString('base64url')

export const decodeCursor = (cursor: string): [string, string] => {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown
    if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string')) return v as [string, string]
  } catch {
    // fall through to the error below
  }
  throw badRequest('cursor is not one this API gave out')
}
