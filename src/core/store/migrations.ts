import type { Migration } from './migrate'

/** The console's schema, in order. Never edit a released migration: add the next one. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'profiles and settings',
    up(db) {
      db.exec(`
        CREATE TABLE profiles (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          backend_url TEXT NOT NULL,
          mqtt_url TEXT NOT NULL,
          username TEXT NOT NULL,
          auth_kind TEXT NOT NULL CHECK (auth_kind IN ('password', 'token')),
          ca_cert_pem TEXT,
          client_cert_pem TEXT,
          has_password INTEGER NOT NULL DEFAULT 0,
          has_client_key INTEGER NOT NULL DEFAULT 0,
          has_key_passphrase INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        CREATE TABLE settings (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL
        );
      `)
    }
  },
  {
    version: 2,
    name: 'last known answers of the backend, per profile',
    up(db) {
      db.exec(`
        CREATE TABLE backend_cache (
          profile_id TEXT NOT NULL,
          key TEXT NOT NULL,
          value TEXT NOT NULL,
          fetched_at TEXT NOT NULL,
          PRIMARY KEY (profile_id, key)
        );
      `)
    }
  },
  {
    version: 3,
    name: "the fleet's copy, per profile, and saved fleet views",
    up(db) {
      db.exec(`
        CREATE TABLE fleet_vehicles (
          id INTEGER PRIMARY KEY,
          profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
          vin TEXT NOT NULL,
          model TEXT NOT NULL,
          region TEXT NOT NULL,
          tags TEXT NOT NULL,
          online INTEGER NOT NULL,
          last_seen TEXT NOT NULL,
          versions TEXT NOT NULL,
          sync_mark INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX fleet_vehicles_by_vin ON fleet_vehicles(profile_id, vin);
        CREATE INDEX fleet_vehicles_by_model ON fleet_vehicles(profile_id, model, vin);
        CREATE INDEX fleet_vehicles_by_region ON fleet_vehicles(profile_id, region, vin);
        CREATE INDEX fleet_vehicles_by_online ON fleet_vehicles(profile_id, online, vin);
        CREATE INDEX fleet_vehicles_by_last_seen ON fleet_vehicles(profile_id, last_seen, vin);
        CREATE TABLE fleet_sync (
          profile_id TEXT PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE,
          mark INTEGER NOT NULL,
          synced_at TEXT
        );
        CREATE TABLE fleet_views (
          id TEXT PRIMARY KEY,
          profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
          name TEXT NOT NULL,
          query TEXT NOT NULL,
          created_at TEXT NOT NULL,
          UNIQUE (profile_id, name)
        );
      `)
    }
  },
  {
    version: 5,
    name: 'offline bundles: pinned backends, imported bundles, workshop results',
    up(db) {
      db.exec(`
        CREATE TABLE bundle_trust (
          profile_id TEXT PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE,
          workshop_id TEXT NOT NULL,
          workshop_name TEXT NOT NULL,
          backend_key_id TEXT NOT NULL,
          backend_key TEXT NOT NULL,
          backend_origin TEXT NOT NULL,
          root TEXT NOT NULL,
          pinned_at TEXT NOT NULL
        );
        CREATE INDEX bundle_trust_by_backend ON bundle_trust(backend_key_id);
        CREATE TABLE offline_bundles (
          id TEXT PRIMARY KEY,
          profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
          manifest TEXT NOT NULL,
          file TEXT NOT NULL,
          imported_at TEXT NOT NULL
        );
        CREATE TABLE offline_results (
          bundle_id TEXT NOT NULL REFERENCES offline_bundles(id) ON DELETE CASCADE,
          vin TEXT NOT NULL,
          ecu TEXT NOT NULL,
          result TEXT NOT NULL,
          recorded_at TEXT NOT NULL,
          PRIMARY KEY (bundle_id, vin, ecu)
        );
      `)
    }
  },
  {
    version: 6,
    name: 'diagnostic runs over the fleet and their answers, per profile',
    up(db) {
      db.exec(`
        CREATE TABLE diag_runs (
          id TEXT PRIMARY KEY,
          profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
          operation TEXT NOT NULL,
          ecus TEXT NOT NULL,
          vehicles INTEGER NOT NULL,
          state TEXT NOT NULL,
          message TEXT,
          started_at TEXT NOT NULL,
          finished_at TEXT,
          vehicles_done INTEGER NOT NULL DEFAULT 0,
          vehicles_failed INTEGER NOT NULL DEFAULT 0,
          positive INTEGER NOT NULL DEFAULT 0,
          negative INTEGER NOT NULL DEFAULT 0,
          errors INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX diag_runs_by_profile ON diag_runs(profile_id, started_at);
        CREATE TABLE diag_run_vehicles (
          run_id TEXT NOT NULL REFERENCES diag_runs(id) ON DELETE CASCADE,
          vin TEXT NOT NULL,
          model TEXT,
          error_code TEXT,
          error TEXT,
          answers INTEGER NOT NULL,
          dtcs INTEGER NOT NULL,
          finished_at TEXT NOT NULL,
          PRIMARY KEY (run_id, vin)
        );
        CREATE TABLE diag_run_answers (
          id INTEGER PRIMARY KEY,
          run_id TEXT NOT NULL REFERENCES diag_runs(id) ON DELETE CASCADE,
          vin TEXT NOT NULL,
          ecu TEXT NOT NULL,
          zonal_gateway TEXT NOT NULL,
          target INTEGER,
          request TEXT NOT NULL,
          response TEXT,
          decoded TEXT,
          error_code TEXT,
          error TEXT,
          elapsed_ms REAL NOT NULL,
          at TEXT NOT NULL
        );
        CREATE INDEX diag_run_answers_by_run ON diag_run_answers(run_id, vin, id);
      `)
    }
  },
  {
    version: 7,
    name: 'a TLS minimum per connection profile',
    up(db) {
      db.exec(`ALTER TABLE profiles ADD COLUMN tls_minimum TEXT NOT NULL DEFAULT 'any'`)
    }
  },
  {
    version: 8,
    name: "saved views of the certificates screen, per profile, like the fleet table's",
    up(db) {
      db.exec(`
        CREATE TABLE certificate_views (
          id TEXT PRIMARY KEY,
          profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
          name TEXT NOT NULL,
          query TEXT NOT NULL,
          created_at TEXT NOT NULL,
          UNIQUE (profile_id, name)
        );
      `)
    }
  }
]
