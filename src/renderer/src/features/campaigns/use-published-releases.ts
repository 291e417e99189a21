import { useEffect, useState } from 'react'
import type { ReleaseView } from '../../../../shared/fleet/catalog'
import { ota } from '../../ota'

/** The releases a job can target: only published ones reach vehicles. */
export function usePublishedReleases() {
  const [releases, setReleases] = useState<ReleaseView[]>([])
  const [error, setError] = useState<string>()
  useEffect(() => {
    void ota.releases.list().then((r) => {
      if (r.ok) setReleases(r.value.releases.filter((x) => x.published))
      else setError(r.error.message)
    })
  }, [])
  return { releases, error }
}
