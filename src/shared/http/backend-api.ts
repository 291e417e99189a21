import { z } from 'zod'
import { ExportBundleRequest, RegisterWorkshop, ResultsImportReport, WorkshopRegistration, WorkshopView } from '../bundle/api'
import { JobId } from '../bundle/manifest'
import { AuditActions, AuditPage, AuditQuery } from '../fleet/audit'
import { ArtifactView, Channel, CreateRelease, EcuId, ModelName, ReleaseId, ReleaseQuery, ReleaseView, SemVer } from '../fleet/catalog'
import { CheckUpdate, CheckUpdateAnswer, RegisterVehicle, VehicleCredentials, Vin } from '../fleet/device'
import { DeviceCertificateView, EnrolDevice, IssuedCertificate, RenewCertificate } from '../fleet/certificates'
import { DiagRelayAnswer, DiagRelayRequest, FlashId, RemoteFlashQuery, RemoteFlashView, StartRemoteFlash } from '../fleet/diag-relay'
import { ApiError } from '../fleet/errors'
import { VehicleDetail, VehiclePage, VehicleQuery } from '../fleet/registry'
import { Identity, Role } from '../fleet/roles'
import { FleetRollup } from '../protocol/messages'
import { SignedRoot, SignedTargets, TargetsSigned, TufKey } from '../tuf/metadata'
import { JOB_ROUTES, MODEL_ROUTES, POLICY_ROUTES } from './job-routes'
import { PKI_ROUTES } from './pki-routes'
import { RELEASE_SET_ROUTES } from './release-set-routes'
import { VciHistory } from '../fleet/release-sets'
import { route } from './route'
import { UpdateEvidence } from '../fleet/evidence'

const ByRelease = z.object({ id: ReleaseId })
const ByJob = z.object({ id: JobId })
const ByVin = z.object({ vin: Vin })
const ByFlash = z.object({ id: FlashId })
/** A TUF metadata file as served; the caller checks it against its role's schema and signatures. */
const SignedMetadata = z.object({ signed: z.unknown(), signatures: z.array(z.unknown()) })

/**
 * Every route of the fleet backend's HTTPS API, declared once: the backend registers its Fastify
 * routes from this table, docs/openapi.json is generated from it, and the console, the simulated
 * vehicles and otactl call it through one client (src/shared/http/client.ts).
 */
export const BACKEND_API = {
  meta: {
    info: route({
      method: 'GET',
      path: '/',
      summary: 'What this server is, and where its API is described',
      tag: 'meta',
      auth: 'public',
      responses: { 200: z.object({ name: z.string(), version: z.string(), openapi: z.string(), tuf: z.string() }) }
    }),
    health: route({
      method: 'GET',
      path: '/health',
      summary: 'Liveness',
      tag: 'meta',
      auth: 'public',
      responses: { 200: z.object({ ok: z.literal(true), version: z.string() }) }
    }),
    ready: route({
      method: 'GET',
      path: '/ready',
      summary: 'Readiness, for a load balancer: 200 when the database, the broker and the firmware store answer this instance; 503 naming the one that does not',
      tag: 'meta',
      auth: 'public',
      responses: { 200: z.object({ ready: z.literal(true), version: z.string() }), 503: ApiError }
    }),
    openapi: route({
      method: 'GET',
      path: '/openapi.json',
      summary: 'This API, as OpenAPI 3.1',
      tag: 'meta',
      auth: 'public',
      responses: { 200: z.object({ openapi: z.string() }).loose() }
    })
  },
  identity: {
    me: route({
      method: 'GET',
      path: '/api/v1/me',
      summary: 'Who the caller is, and the role the console uses to enable what it may do',
      tag: 'admin',
      auth: { action: 'identity.read' },
      responses: { 200: Identity }
    }),
    createToken: route({
      method: 'POST',
      path: '/api/v1/tokens',
      summary: 'Create an API token for a person or a tool, with one role',
      tag: 'admin',
      auth: { action: 'token.create' },
      body: z.object({ name: z.string().min(1).max(100), role: Role }).strict(),
      responses: { 201: z.object({ name: z.string(), role: Role, token: z.string() }) }
    })
  },
  audit: {
    query: route({
      method: 'GET',
      path: '/api/v1/audit',
      summary: 'The audit log, newest first, filtered (text, actor, action, outcome, time) and cursor-paged',
      tag: 'admin',
      auth: { action: 'audit.read' },
      query: AuditQuery,
      responses: { 200: AuditPage }
    }),
    actions: route({
      method: 'GET',
      path: '/api/v1/audit/actions',
      summary: 'The action names the audit log holds, for filtering by one',
      tag: 'admin',
      auth: { action: 'audit.read' },
      responses: { 200: AuditActions }
    })
  },
  releases: {
    upload: route({
      method: 'POST',
      path: '/api/v1/artifacts',
      summary: 'Upload a firmware image (streamed; hashed and encrypted at rest as it arrives)',
      tag: 'catalog',
      auth: { action: 'artifact.upload' },
      body: 'stream',
      responses: { 201: ArtifactView, 413: ApiError }
    }),
    create: route({
      method: 'POST',
      path: '/api/v1/releases',
      summary: 'Create a release of an uploaded artifact for a model and ECU',
      tag: 'catalog',
      auth: { action: 'release.create' },
      body: CreateRelease,
      responses: { 201: ReleaseView, 404: ApiError, 409: ApiError }
    }),
    list: route({
      method: 'GET',
      path: '/api/v1/releases',
      summary: 'List releases, by model, ECU and publication',
      tag: 'catalog',
      auth: { action: 'release.read' },
      query: ReleaseQuery,
      responses: { 200: z.object({ releases: z.array(ReleaseView) }) }
    }),
    get: route({
      method: 'GET',
      path: '/api/v1/releases/:id',
      summary: 'One release',
      tag: 'catalog',
      auth: { action: 'release.read' },
      params: ByRelease,
      responses: { 200: ReleaseView, 404: ApiError }
    }),
    publish: route({
      method: 'POST',
      path: '/api/v1/releases/:id/publish',
      summary: "Publish a release to its model's channel (sealed once with the release's data key)",
      tag: 'catalog',
      auth: { action: 'release.publish' },
      params: ByRelease,
      responses: { 200: ReleaseView, 404: ApiError, 409: ApiError }
    }),
    promote: route({
      method: 'POST',
      path: '/api/v1/releases/:id/channels',
      summary: 'Put a release on one more channel ("promote to stable": every vehicle of its model is offered it)',
      tag: 'catalog',
      auth: { action: 'release.publish' },
      params: ByRelease,
      body: z.object({ channel: Channel }).strict(),
      responses: { 200: ReleaseView, 404: ApiError, 409: ApiError }
    }),
    withdraw: route({
      method: 'POST',
      path: '/api/v1/releases/:id/withdraw',
      summary: "Take a release out of its model's channel",
      tag: 'catalog',
      auth: { action: 'release.withdraw' },
      params: ByRelease,
      responses: { 200: ReleaseView, 404: ApiError }
    })
  },
  device: {
    checkUpdate: route({
      method: 'POST',
      path: '/api/v1/device/check-update',
      summary: 'A vehicle sends its ECU versions and learns what to install',
      tag: 'device',
      auth: 'device',
      body: CheckUpdate,
      responses: { 200: CheckUpdateAnswer }
    }),
    artifact: route({
      method: 'GET',
      path: '/api/v1/device/releases/:id/artifact',
      summary: "Download a release's artifact, sealed with its data key (the offer carries it, wrapped to the vehicle's key); Range resumes",
      tag: 'device',
      auth: 'device',
      params: ByRelease,
      responses: { 200: 'binary', 206: 'binary', 404: ApiError, 416: ApiError }
    }),
    delta: route({
      method: 'GET',
      path: '/api/v1/device/releases/:id/delta/:from',
      summary: "Download the delta to a release from the version the vehicle runs, sealed with the release's data key; the signed target lists its length and sha256",
      tag: 'device',
      auth: 'device',
      params: z.object({ id: ReleaseId, from: SemVer }),
      responses: { 200: 'binary', 404: ApiError }
    }),
    enrol: route({
      method: 'POST',
      path: '/api/v1/device/enrol',
      summary: "A vehicle's first certificate: a CSR for the key it made, with its one-time enrolment credential",
      tag: 'device',
      auth: 'public',
      body: EnrolDevice,
      responses: { 201: IssuedCertificate, 400: ApiError, 401: ApiError }
    }),
    certificate: route({
      method: 'GET',
      path: '/api/v1/device/certificate',
      summary: 'The device certificate the vehicle called with, as the backend sees it; a refused one answers 401 with the reason',
      tag: 'device',
      auth: 'device',
      responses: { 200: DeviceCertificateView }
    }),
    renew: route({
      method: 'POST',
      path: '/api/v1/device/certificate',
      summary: 'A new certificate for a new key, asked for with the current certificate before it expires; the old one is retired at the first use of the new',
      tag: 'device',
      auth: 'device',
      body: RenewCertificate,
      responses: { 201: IssuedCertificate, 400: ApiError }
    })
  },
  pki: PKI_ROUTES,
  vehicles: {
    register: route({
      method: 'POST',
      path: '/api/v1/vehicles',
      summary: 'Register a vehicle with its X-Wing public key; answers its one-time enrolment credential (keys reach it only wrapped, with each offer)',
      tag: 'fleet',
      auth: { action: 'vehicle.register' },
      body: RegisterVehicle,
      responses: { 201: VehicleCredentials, 409: ApiError }
    }),
    list: route({
      method: 'GET',
      path: '/api/v1/vehicles',
      summary: 'Vehicles: filtered (model, region, tag, online, ECU version, VIN prefix), sorted, cursor-paged',
      tag: 'fleet',
      auth: { action: 'vehicle.read' },
      query: VehicleQuery,
      responses: { 200: VehiclePage }
    }),
    get: route({
      method: 'GET',
      path: '/api/v1/vehicles/:vin',
      summary: 'One vehicle: its ECUs by zonal gateway, version history and update history',
      tag: 'fleet',
      auth: { action: 'vehicle.read' },
      params: ByVin,
      responses: { 200: VehicleDetail, 404: ApiError }
    }),
    evidence: route({
      method: 'GET',
      path: '/api/v1/vehicles/:vin/evidence',
      summary: "A vehicle's update record as one signed document: offered, approved by whom, delivered full or by delta, installed, health verdict, rolled back",
      tag: 'fleet',
      auth: { action: 'audit.read' },
      params: ByVin,
      responses: { 200: UpdateEvidence, 404: ApiError }
    }),
    vci: route({
      method: 'GET',
      path: '/api/v1/vehicles/:vin/vci',
      summary: "The vehicle's configuration (VCI) over time: every ECU's zonal gateway, hardware, software and serial, a snapshot for each change, newest first",
      tag: 'fleet',
      auth: { action: 'vehicle.read' },
      params: ByVin,
      responses: { 200: VciHistory, 404: ApiError }
    }),
    evidenceKey: route({
      method: 'GET',
      path: '/api/v1/evidence-key',
      summary: 'The public key that signs update evidence documents (ed25519, TUF key form), for an auditor to check them',
      tag: 'fleet',
      auth: 'public',
      responses: { 200: z.object({ keyid: z.string(), key: TufKey }) }
    }),
    setChannel: route({
      method: 'PUT',
      path: '/api/v1/vehicles/:vin/channel',
      summary: 'Put a vehicle on a release channel (beta, …); null or stable: stable releases only',
      tag: 'fleet',
      auth: { action: 'vehicle.register' },
      params: ByVin,
      body: z.object({ channel: Channel.nullable() }).strict(),
      responses: { 200: VehicleDetail, 404: ApiError }
    }),
    summary: route({
      method: 'GET',
      path: '/api/v1/fleet/summary',
      summary: 'Fleet counts: total and online, by model (what the rollup topic carries)',
      tag: 'fleet',
      auth: { action: 'vehicle.read' },
      responses: { 200: FleetRollup }
    })
  },
  tuf: {
    metadata: route({
      method: 'GET',
      path: '/tuf/:file',
      summary: 'TUF metadata: N.root.json, timestamp.json, N.snapshot.json, N.targets.json',
      tag: 'tuf',
      auth: 'public',
      params: z.object({ file: z.string().max(64) }),
      responses: { 200: SignedMetadata, 404: ApiError }
    }),
    target: route({
      method: 'GET',
      path: '/tuf/targets/:model/:ecu/:file',
      summary: 'A target file (consistent snapshot name HASH.VERSION.bin), for vehicles of that model',
      tag: 'tuf',
      auth: 'device',
      params: z.object({ model: ModelName, ecu: EcuId, file: z.string().regex(/^[0-9a-f]{64}\.[\w.+-]+\.bin$/) }),
      responses: { 200: 'binary', 404: ApiError }
    }),
    pqKey: route({
      method: 'GET',
      path: '/api/v1/tuf/pq-key',
      summary: 'The ML-DSA-65 public key that signs targets (hybrid with ed25519)',
      tag: 'tuf',
      auth: 'public',
      responses: { 200: z.object({ keyid: z.string(), publicKey: z.string() }) }
    }),
    targetsDraft: route({
      method: 'GET',
      path: '/api/v1/tuf/targets-draft',
      summary: 'The next targets metadata, unsigned, for a signer that keeps the targets key',
      tag: 'tuf',
      auth: { action: 'release.sign' },
      responses: { 200: z.object({ _type: z.literal('targets') }).loose() }
    }),
    signingState: route({
      method: 'GET',
      path: '/api/v1/tuf/signing-state',
      summary: 'What signing the next targets needs, in one answer: the current root, the targets the snapshot lists now, and the unsigned draft',
      tag: 'tuf',
      auth: { action: 'release.sign' },
      responses: { 200: z.object({ root: SignedRoot, targets: SignedTargets, draft: TargetsSigned }) }
    }),
    submitTargets: route({
      method: 'POST',
      path: '/api/v1/tuf/targets',
      summary: "Submit targets metadata signed by root's targets key; snapshot and timestamp follow",
      tag: 'tuf',
      auth: { action: 'release.sign' },
      body: z.unknown(),
      responses: { 200: z.object({ version: z.number() }) }
    }),
    rotate: route({
      method: 'POST',
      path: '/api/v1/tuf/rotate',
      summary: 'Rotate a role key through a new root version (optionally to an outside targets key)',
      tag: 'tuf',
      auth: { action: 'tuf.rotate' },
      body: z.object({ role: z.enum(['root', 'targets', 'snapshot', 'timestamp']), targetsKey: TufKey.optional() }).strict(),
      responses: { 200: z.object({ rootVersion: z.number() }) }
    })
  },
  keys: {
    rotateModelKey: route({
      method: 'POST',
      path: '/api/v1/models/:model/key/rotate',
      summary: "Rotate a device model's key: every release data key of the model re-wrapped by a new one, the old one retired; every published release stays downloadable",
      tag: 'keys',
      auth: { action: 'key.rotate' },
      params: z.object({ model: z.string().min(1).max(100) }),
      responses: { 200: z.object({ model: z.string(), version: z.number(), rewrapped: z.number(), retired: z.array(z.number()) }) }
    })
  },
  releaseSets: RELEASE_SET_ROUTES,
  models: MODEL_ROUTES,
  jobs: JOB_ROUTES,
  policies: POLICY_ROUTES,
  offline: {
    registerWorkshop: route({
      method: 'POST',
      path: '/api/v1/offline/workshops',
      summary: "Register a workshop console's keys; answers the bundle signing key and TUF root it pins",
      tag: 'offline',
      auth: { action: 'workshop.register' },
      body: RegisterWorkshop,
      responses: { 201: WorkshopRegistration, 409: ApiError }
    }),
    workshops: route({
      method: 'GET',
      path: '/api/v1/offline/workshops',
      summary: 'Registered workshop consoles, which bundles can be made for',
      tag: 'offline',
      auth: { action: 'offline.export' },
      responses: { 200: z.object({ workshops: z.array(WorkshopView) }) }
    }),
    exportBundle: route({
      method: 'POST',
      path: '/api/v1/jobs/:id/offline-bundle',
      summary: "Export a job's queued vehicles as a signed offline bundle for one workshop; the engine leaves them to it",
      tag: 'offline',
      auth: { action: 'offline.export' },
      params: ByJob,
      body: ExportBundleRequest,
      responses: { 200: 'binary', 404: ApiError, 409: ApiError }
    }),
    importResults: route({
      method: 'POST',
      path: '/api/v1/jobs/:id/offline-results',
      summary: "Import a workshop's signed results file into the job's executions (idempotent)",
      tag: 'offline',
      auth: { action: 'offline.results' },
      params: ByJob,
      body: 'stream',
      responses: { 200: ResultsImportReport, 404: ApiError, 413: ApiError }
    })
  },
  diag: {
    relay: route({
      method: 'POST',
      path: '/api/v1/vehicles/:vin/diag',
      summary: "Relay one UDS request to an ECU through the vehicle's gateway and answer its response (504 when the vehicle is offline or silent)",
      tag: 'diag',
      auth: { action: 'diag.run' },
      params: ByVin,
      body: DiagRelayRequest,
      responses: { 200: DiagRelayAnswer, 404: ApiError, 504: ApiError }
    }),
    startFlash: route({
      method: 'POST',
      path: '/api/v1/vehicles/:vin/flash',
      summary: 'Start a remote flash: the gateway downloads the release, verifies it with TUF and flashes the ECU itself; follow it with GET /api/v1/diag/flashes/:id',
      tag: 'diag',
      auth: { action: 'diag.flash' },
      params: ByVin,
      body: StartRemoteFlash,
      responses: { 202: RemoteFlashView, 404: ApiError, 409: ApiError, 504: ApiError }
    }),
    flash: route({
      method: 'GET',
      path: '/api/v1/diag/flashes/:id',
      summary: 'A remote flash with its progress after `after`; waitMs long-polls for the next report',
      tag: 'diag',
      auth: { action: 'diag.run' },
      params: ByFlash,
      query: RemoteFlashQuery,
      responses: { 200: RemoteFlashView, 404: ApiError }
    }),
    abortFlash: route({
      method: 'POST',
      path: '/api/v1/diag/flashes/:id/abort',
      summary: 'Ask the gateway to stop a remote flash at the next block; the ECU keeps its old software and can be flashed again',
      tag: 'diag',
      auth: { action: 'diag.flash' },
      params: ByFlash,
      responses: { 200: RemoteFlashView, 404: ApiError }
    })
  }
} as const

export type BackendApi = typeof BACKEND_API
