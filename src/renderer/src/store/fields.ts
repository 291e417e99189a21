import type { StoreApi, UseBoundStore } from 'zustand'
import { useShallow } from 'zustand/react/shallow'

/**
 * The fields of a store a component renders, compared one by one: the component re-renders when
 * one of them changes, not on every change to the store (a live event storm touches a few).
 */
export function useFields<S extends object, K extends keyof S>(store: UseBoundStore<StoreApi<S>>, ...keys: K[]): Pick<S, K> {
  return store(
    useShallow((state: S) => {
      const picked = {} as Pick<S, K>
      for (const key of keys) picked[key] = state[key]
      return picked
    })
  )
}
