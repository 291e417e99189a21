import type { Db } from './db'

export interface BackendMigration {
  version: number
  name: string
  /** Dialect-neutral SQL unless a dialect needs its own. */
  sql: string | Record<Db['dialect'], string> | ((dialect: Db['dialect']) => string)
}

/** The backend's schema, in order. Never edit a released migration: add the next one. */
export const backendMigrations: readonly BackendMigration[] = [
  {
    version: 1,
    name: 'tokens, keys, artifacts, releases, downloads, audit',
    sql: (dialect) => `
      CREATE TABLE tokens (
        token_hash TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT,
        vin TEXT,
        created_at TEXT NOT NULL
      );
      CREATE TABLE vehicles (
        vin TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        region TEXT NOT NULL,
        tags TEXT NOT NULL,
        online INTEGER NOT NULL DEFAULT 0,
        last_seen TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX vehicles_by_model ON vehicles(model, vin);
      CREATE TABLE model_keys (
        model TEXT PRIMARY KEY,
        wrapped_key TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE artifacts (
        sha256 TEXT PRIMARY KEY,
        size BIGINT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
      );
      CREATE TABLE releases (
        id TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        ecu TEXT NOT NULL,
        version TEXT NOT NULL,
        hardware TEXT NOT NULL,
        notes TEXT NOT NULL,
        artifact_sha256 TEXT NOT NULL REFERENCES artifacts(sha256),
        size BIGINT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        UNIQUE (model, ecu, version)
      );
      CREATE TABLE publications (
        release_id TEXT PRIMARY KEY REFERENCES releases(id),
        model TEXT NOT NULL,
        blob_sha256 TEXT NOT NULL,
        blob_size BIGINT NOT NULL,
        published_at TEXT NOT NULL,
        published_by TEXT NOT NULL
      );
      CREATE INDEX publications_by_model ON publications(model);
      CREATE TABLE downloads (
        release_id TEXT NOT NULL,
        vin TEXT NOT NULL,
        range_start BIGINT NOT NULL,
        range_end BIGINT NOT NULL,
        at TEXT NOT NULL
      );
      CREATE INDEX downloads_by_release ON downloads(release_id);
      CREATE TABLE audit (
        id ${dialect === 'postgres' ? 'BIGSERIAL' : 'INTEGER'} PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        role TEXT NOT NULL,
        action TEXT NOT NULL,
        object TEXT NOT NULL,
        outcome TEXT NOT NULL,
        detail TEXT NOT NULL
      );
      CREATE INDEX audit_by_action ON audit(action, id);
      CREATE INDEX audit_by_actor ON audit(actor, id);
    `
  },
  {
    version: 2,
    name: 'audit log is append-only',
    sql: {
      sqlite: `
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      `,
      postgres: `
        CREATE FUNCTION audit_append_only() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$ LANGUAGE plpgsql;
        CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
      `
    }
  },
  {
    version: 3,
    name: 'TUF metadata',
    sql: `
      CREATE TABLE tuf_metadata (
        role TEXT NOT NULL,
        version INTEGER NOT NULL,
        json TEXT NOT NULL,
        expires TEXT NOT NULL,
        PRIMARY KEY (role, version)
      );
    `
  },
  {
    version: 4,
    name: 'fleet registry: ECUs, version and update history',
    sql: `
      CREATE TABLE ecus (
        vin TEXT NOT NULL REFERENCES vehicles(vin),
        ecu_id TEXT NOT NULL,
        logical_address INTEGER NOT NULL,
        zonal_gateway TEXT NOT NULL,
        hardware TEXT NOT NULL,
        software_version TEXT NOT NULL,
        PRIMARY KEY (vin, ecu_id)
      );
      CREATE INDEX ecus_by_version ON ecus(ecu_id, software_version);
      CREATE TABLE version_history (
        vin TEXT NOT NULL,
        ecu_id TEXT NOT NULL,
        from_version TEXT,
        to_version TEXT NOT NULL,
        at TEXT NOT NULL
      );
      CREATE INDEX version_history_by_vin ON version_history(vin, at);
      CREATE TABLE update_history (
        vin TEXT NOT NULL,
        release_id TEXT NOT NULL,
        ecu_id TEXT NOT NULL,
        version TEXT NOT NULL,
        step TEXT NOT NULL,
        percent INTEGER NOT NULL,
        cause TEXT,
        at TEXT NOT NULL
      );
      CREATE INDEX update_history_by_vin ON update_history(vin, at);
      -- QoS 1 delivers at least once: a report redelivered after a broker restart is the same row.
      CREATE UNIQUE INDEX update_history_once ON update_history(vin, release_id, ecu_id, step, percent, at);
      CREATE INDEX vehicles_by_region ON vehicles(region, vin);
      -- The registry sorts by COALESCE(last_seen, ''), so never-seen vehicles page like the rest.
      CREATE INDEX vehicles_by_last_seen ON vehicles((COALESCE(last_seen, '')), vin);
    `
  },
  {
    version: 5,
    name: 'update jobs, their waves and executions, with rollup counters',
    sql: `
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        release_id TEXT NOT NULL REFERENCES releases(id),
        spec TEXT NOT NULL,
        state TEXT NOT NULL,
        reason TEXT,
        current_wave INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT
      );
      CREATE TABLE job_waves (
        job_id TEXT NOT NULL REFERENCES jobs(id),
        wave INTEGER NOT NULL,
        size INTEGER NOT NULL,
        started_at TEXT,
        -- Failures an operator accepted by resuming: the threshold judges what comes after.
        ack_failed INTEGER NOT NULL DEFAULT 0,
        ack_finished INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (job_id, wave)
      );
      CREATE TABLE executions (
        job_id TEXT NOT NULL REFERENCES jobs(id),
        vin TEXT NOT NULL,
        wave INTEGER NOT NULL,
        state TEXT NOT NULL,
        cause TEXT,
        percent INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        notified_at TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (job_id, vin)
      );
      CREATE INDEX executions_by_wave_state ON executions(job_id, wave, state);
      -- Kept in step with every transition, so rollups never scan executions.
      CREATE TABLE job_counts (
        job_id TEXT NOT NULL,
        wave INTEGER NOT NULL,
        state TEXT NOT NULL,
        cause TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (job_id, wave, state, cause)
      );
    `
  },
  {
    version: 6,
    name: 'upgrade policies (job templates)',
    sql: `
      CREATE TABLE policies (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('template')),
        spec TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `
  },
  {
    version: 7,
    name: 'audit log filtered by outcome and time',
    sql: `
      CREATE INDEX audit_by_outcome ON audit(outcome, id);
      CREATE INDEX audit_by_at ON audit(at);
    `
  },
  {
    version: 8,
    name: 'offline bundles: workshop consoles, exported bundles and their vehicles, workshop results',
    sql: `
      CREATE TABLE offline_workshops (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        signing_keyid TEXT NOT NULL UNIQUE,
        signing_key TEXT NOT NULL,
        encryption_key TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
      );
      CREATE TABLE offline_bundles (
        id TEXT PRIMARY KEY,
        job_id TEXT NOT NULL REFERENCES jobs(id),
        workshop_id TEXT NOT NULL REFERENCES offline_workshops(id),
        vehicles INTEGER NOT NULL,
        size BIGINT,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE TABLE offline_bundle_vins (
        bundle_id TEXT NOT NULL REFERENCES offline_bundles(id),
        vin TEXT NOT NULL,
        PRIMARY KEY (bundle_id, vin)
      );
      -- Executions handed to a workshop: the engine leaves them to it until results come back.
      ALTER TABLE executions ADD COLUMN offline_bundle_id TEXT;
      CREATE TABLE offline_results (
        bundle_id TEXT NOT NULL REFERENCES offline_bundles(id),
        vin TEXT NOT NULL,
        ecu_id TEXT NOT NULL,
        outcome TEXT NOT NULL,
        cause TEXT,
        detail TEXT,
        version_before TEXT,
        version_after TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        steps TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        imported_by TEXT NOT NULL,
        PRIMARY KEY (bundle_id, vin, ecu_id)
      );
    `
  },
  {
    version: 9,
    name: 'standing (device-initiated) policies beside templates, found by their release',
    sql: {
      sqlite: `
        CREATE TABLE policies_v9 (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          kind TEXT NOT NULL CHECK (kind IN ('template', 'standing')),
          spec TEXT NOT NULL,
          release_id TEXT REFERENCES releases(id),
          created_at TEXT NOT NULL,
          created_by TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        INSERT INTO policies_v9 (id, name, kind, spec, created_at, created_by, updated_at) SELECT id, name, kind, spec, created_at, created_by, updated_at FROM policies;
        DROP TABLE policies;
        ALTER TABLE policies_v9 RENAME TO policies;
        CREATE INDEX policies_by_kind_release ON policies(kind, release_id);
      `,
      postgres: `
        ALTER TABLE policies ADD COLUMN release_id TEXT REFERENCES releases(id);
        ALTER TABLE policies DROP CONSTRAINT policies_kind_check;
        ALTER TABLE policies ADD CONSTRAINT policies_kind_check CHECK (kind IN ('template', 'standing'));
        CREATE INDEX policies_by_kind_release ON policies(kind, release_id);
      `
    }
  },
  {
    version: 10,
    name: 'the job engine lease: one backend instance drives jobs at a time',
    sql: `
      CREATE TABLE engine_lease (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at BIGINT NOT NULL
      );
    `
  },
  {
    version: 11,
    name: "each vehicle's IANA time zone, for its maintenance windows; vehicles already registered get their region's",
    sql: `
      ALTER TABLE vehicles ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
      UPDATE vehicles SET time_zone = CASE region
        WHEN 'eu' THEN 'Europe/Berlin' WHEN 'jp' THEN 'Asia/Tokyo' WHEN 'us' THEN 'America/New_York' WHEN 'cn' THEN 'Asia/Shanghai' ELSE 'UTC' END;
    `
  },
  {
    version: 12,
    name: "per-vehicle key transport: each vehicle's X-Wing public key, and one data key per release (releases published before keep their model's key as theirs)",
    sql: `
      ALTER TABLE vehicles ADD COLUMN kem_public_key TEXT;
      CREATE TABLE release_keys (
        release_id TEXT PRIMARY KEY REFERENCES releases(id),
        wrapped_key TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      INSERT INTO release_keys (release_id, wrapped_key, created_at)
        SELECT p.release_id, k.wrapped_key, k.created_at FROM publications p JOIN releases r ON r.id = p.release_id JOIN model_keys k ON k.model = r.model;
    `
  },
  {
    version: 13,
    name: 'device certificates from the device CA, its CRL; device tokens become one-time enrolment credentials (those issued before expire in 30 days)',
    sql: (dialect) => `
      CREATE TABLE device_certificates (
        serial TEXT PRIMARY KEY,
        holder_kind TEXT NOT NULL,
        holder TEXT NOT NULL,
        algorithm TEXT NOT NULL,
        not_before TEXT NOT NULL,
        not_after TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        replaces TEXT,
        revoked_at TEXT,
        revocation_reason TEXT,
        revoked_by TEXT,
        revocation_comment TEXT,
        renewal_requested_at TEXT
      );
      CREATE INDEX device_certificates_by_holder ON device_certificates(holder_kind, holder, issued_at);
      CREATE INDEX device_certificates_by_expiry ON device_certificates(not_after);
      CREATE TABLE device_crl (
        ca TEXT PRIMARY KEY,
        number BIGINT NOT NULL,
        this_update TEXT NOT NULL,
        next_update TEXT NOT NULL,
        der TEXT NOT NULL
      );
      ALTER TABLE tokens ADD COLUMN expires_at TEXT;
      ALTER TABLE tokens ADD COLUMN used_at TEXT;
      DELETE FROM tokens WHERE token_hash LIKE 'x509:%';
      UPDATE tokens SET expires_at = ${dialect === 'postgres' ? `to_char((now() + interval '30 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` : `strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+30 days')`} WHERE vin IS NOT NULL;
      ALTER TABLE vehicles ADD COLUMN auth_refusal TEXT;
      ALTER TABLE vehicles ADD COLUMN auth_refused_at TEXT;
    `
  },
  {
    version: 14,
    name: 'per-model keys that rotate: each release data key wrapped by its model key (version), model keys wrapped by the server key; those of before stay wrapped by the server key until their model rotates',
    sql: `
      DROP TABLE model_keys;
      CREATE TABLE model_keys (
        model TEXT NOT NULL,
        version INTEGER NOT NULL,
        wrapped_key TEXT,
        created_at TEXT NOT NULL,
        retired_at TEXT,
        PRIMARY KEY (model, version)
      );
      ALTER TABLE release_keys ADD COLUMN model_key_version INTEGER;
    `
  },
  {
    version: 15,
    name: 'four-eyes approval: why a job needs one, the decision (who, role, comment, when), templates and device models that ask for it',
    sql: `
      ALTER TABLE jobs ADD COLUMN approval_required_by TEXT;
      CREATE TABLE job_approvals (
        job_id TEXT PRIMARY KEY REFERENCES jobs(id),
        decision TEXT NOT NULL,
        decided_by TEXT NOT NULL,
        role TEXT NOT NULL,
        comment TEXT NOT NULL,
        decided_at TEXT NOT NULL
      );
      ALTER TABLE policies ADD COLUMN require_approval INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE model_approval (
        model TEXT PRIMARY KEY,
        require_approval INTEGER NOT NULL,
        updated_by TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `
  },
  {
    version: 16,
    name: 'release channels: the channels each release is offered on (every release of before: stable), and the channel a vehicle is on (none: stable only)',
    sql: `
      ALTER TABLE releases ADD COLUMN channels TEXT NOT NULL DEFAULT '["stable"]';
      ALTER TABLE vehicles ADD COLUMN channel TEXT;
    `
  },
  {
    version: 17,
    name: 'delta updates: sealed binary deltas to a release from the versions vehicles run, and how each execution got its image (bytes saved)',
    sql: `
      CREATE TABLE release_deltas (
        release_id TEXT NOT NULL REFERENCES releases(id),
        from_version TEXT NOT NULL,
        source_sha256 TEXT NOT NULL,
        blob_sha256 TEXT NOT NULL,
        blob_size INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (release_id, from_version)
      );
      ALTER TABLE executions ADD COLUMN delivery TEXT;
      CREATE TABLE job_delivery (
        job_id TEXT NOT NULL REFERENCES jobs(id),
        delivery TEXT NOT NULL,
        n INTEGER NOT NULL,
        bytes_saved INTEGER NOT NULL,
        PRIMARY KEY (job_id, delivery)
      );
    `
  },
  {
    version: 18,
    name: 'vehicle configuration (VCI): ECU serial numbers and a snapshot whenever the configuration changes; release sets (ECU images, install order, requirements) and their deployments per vehicle',
    sql: `
      ALTER TABLE ecus ADD COLUMN serial TEXT;
      CREATE TABLE vci_snapshots (
        vin TEXT NOT NULL REFERENCES vehicles(vin),
        taken_at TEXT NOT NULL,
        ecus TEXT NOT NULL,
        PRIMARY KEY (vin, taken_at)
      );
      CREATE TABLE release_sets (
        id TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        name TEXT NOT NULL,
        version TEXT NOT NULL,
        notes TEXT NOT NULL,
        members TEXT NOT NULL,
        requires TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        UNIQUE (model, name, version)
      );
      CREATE TABLE set_deployments (
        id TEXT PRIMARY KEY,
        set_id TEXT NOT NULL REFERENCES release_sets(id),
        vin TEXT NOT NULL REFERENCES vehicles(vin),
        state TEXT NOT NULL,
        blockers TEXT NOT NULL,
        ecus TEXT NOT NULL,
        failed TEXT,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX set_deployments_by_set ON set_deployments(set_id, created_at);
    `
  }
]
