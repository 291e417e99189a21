import type { AuditLog } from '../../audit'
import { principalName, principalRole, type Principal, type Tokens } from '../../auth/tokens'
import type { Catalog } from '../../catalog/catalog'
import type { Keyring } from '../../crypto/keyring'
import type { DataKeys } from '../../crypto/data-keys'
import type { Db } from '../../db/db'
import type { DiagService } from '../../diag/diag-service'
import type { Registry } from '../../registry/registry'
import type { JobService } from '../../jobs/job-service'
import type { Policies } from '../../jobs/policies'
import type { Evidence } from '../../evidence/evidence'
import type { ReleaseSets } from '../../release-sets/release-sets'
import type { Deployments } from '../../release-sets/deployments'
import type { ModelApprovalRules } from '../../jobs/model-approval'
import type { DeviceCa } from '../../pki/device-ca'
import type { DeviceCertificates } from '../../pki/device-certificates'
import type { SignatureRecorder } from '../../keys/key-use'
import type { TufRepository } from '../../tuf/repository'

export interface Services {
  db: Db
  catalog: Catalog
  tokens: Tokens
  keys: Keyring
  dataKeys: DataKeys
  audit: AuditLog
  /** Records a signature by a custodial key made outside the key store (the offline-bundle key). */
  signatures: SignatureRecorder
  tuf: TufRepository
  registry: Registry
  jobs: JobService
  policies: Policies
  evidence: Evidence
  releaseSets: ReleaseSets
  deployments: Deployments
  modelApproval: ModelApprovalRules
  deviceCa: DeviceCa
  certificates: DeviceCertificates
  /** How long a vehicle's enrolment credential stays usable. */
  enrolmentTtlMs: number
  /** UDS relay and remote flashes through the vehicles' MQTT link. */
  diag?: DiagService
  version: string
  /** Why this instance cannot serve now (its database, broker or firmware store does not answer), or undefined when it can. */
  readiness: () => Promise<string | undefined>
}

/** Runs an operation and records it in the audit log, whether it succeeds or fails. */
export async function audited<T>(audit: AuditLog, principal: Principal | undefined, action: string, object: string, run: () => Promise<T>, detail?: (out: T) => string) {
  const who = { actor: principal ? principalName(principal) : 'anonymous', role: principal ? principalRole(principal) : 'none' }
  try {
    const out = await run()
    await audit.record({ ...who, action, object, outcome: 'ok', detail: detail?.(out) ?? '' })
    return out
  } catch (err) {
    await audit.record({ ...who, action, object, outcome: 'failed', detail: (err as Error).message })
    throw err
  }
}
