import { z } from 'zod'

export const Role = z.enum(['admin', 'release-manager', 'operator', 'viewer'])
export type Role = z.infer<typeof Role>

/**
 * Every action the fleet backend guards, and the roles allowed it: one table for the server's
 * checks and for the console, which disables what the user's role forbids.
 */
export const PERMISSIONS = {
  'artifact.upload': ['admin', 'release-manager'],
  'release.create': ['admin', 'release-manager'],
  'release.sign': ['admin', 'release-manager'],
  'release.publish': ['admin', 'release-manager'],
  'release.withdraw': ['admin', 'release-manager'],
  'release.read': ['admin', 'release-manager', 'operator', 'viewer'],
  'vehicle.register': ['admin', 'operator'],
  'job.create': ['admin', 'operator'],
  'job.control': ['admin', 'operator'],
  'job.read': ['admin', 'release-manager', 'operator', 'viewer'],
  /** The second pair of eyes: approve or reject a job that waits for approval (never one's own). */
  'job.approve': ['admin', 'release-manager'],
  /** Which device models' jobs need approval. */
  'model.configure': ['admin'],
  'policy.write': ['admin', 'operator'],
  'vehicle.read': ['admin', 'release-manager', 'operator', 'viewer'],
  'audit.read': ['admin', 'release-manager', 'operator', 'viewer'],
  'identity.read': ['admin', 'release-manager', 'operator', 'viewer'],
  'token.create': ['admin'],
  'tuf.rotate': ['admin'],
  'key.rotate': ['admin'],
  'workshop.register': ['admin'],
  'offline.export': ['admin', 'operator'],
  'offline.results': ['admin', 'operator'],
  /** UDS to a vehicle's ECUs through the backend's relay (reads, sessions, routines, resets). */
  'diag.run': ['admin', 'operator'],
  /** Remote flashes the vehicle gateway runs locally. */
  'diag.flash': ['admin', 'operator'],
  'certificate.read': ['admin', 'release-manager', 'operator', 'viewer'],
  /** Revoking a device certificate shuts its holder out at once; asking for a renewal does not. */
  'certificate.revoke': ['admin', 'operator'],
  'certificate.renew': ['admin', 'operator']
} as const satisfies Record<string, readonly Role[]>
export type Action = keyof typeof PERMISSIONS

export const mayPerform = (role: Role, action: Action) => (PERMISSIONS[action] as readonly Role[]).includes(role)

export const forbiddenReason = (role: Role, action: Action) => `Role ${role} may not ${action}; it needs ${PERMISSIONS[action].join(' or ')}`

/** A person's or tool's identity as the backend knows it. */
export const Identity = z.object({ name: z.string(), role: Role })
export type Identity = z.infer<typeof Identity>
