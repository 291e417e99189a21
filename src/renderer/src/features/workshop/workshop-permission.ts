import type { Action } from '../../../../shared/fleet/roles'
import { usePermission, useSession } from '../../store/session'

/**
 * A workshop works offline, with no backend to say who is signed in: there, the imported bundle
 * is what vouches for a flash. When the console is signed in, the role decides as everywhere.
 */
export function useWorkshopPermission(action: Action): { allowed: boolean; reason?: string } {
  const identity = useSession((s) => s.status?.identity)
  const permission = usePermission(action)
  return identity ? permission : { allowed: true }
}
