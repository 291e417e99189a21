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
  }
]
