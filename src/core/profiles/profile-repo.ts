import type { ProfileFields, ProfileView } from '../../shared/profile'
import { TlsMinimum } from '../../shared/security-profiles'
import type { Db } from '../store/database'

interface Row {
  id: string
  name: string
  backend_url: string
  mqtt_url: string
  username: string
  auth_kind: 'password' | 'token'
  ca_cert_pem: string | null
  client_cert_pem: string | null
  tls_minimum: string
  has_password: number
  has_client_key: number
  has_key_passphrase: number
  created_at: string
  updated_at: string
}

export interface SecretFlags {
  hasPassword: boolean
  hasClientKey: boolean
  hasKeyPassphrase: boolean
}

const toView = (r: Row): ProfileView => ({
  id: r.id,
  name: r.name,
  backendUrl: r.backend_url,
  mqttUrl: r.mqtt_url,
  username: r.username,
  authKind: r.auth_kind,
  caCertPem: r.ca_cert_pem,
  clientCertPem: r.client_cert_pem,
  tlsMinimum: TlsMinimum.parse(/^\d+$/.test(r.tls_minimum) ? Number(r.tls_minimum) : r.tls_minimum),
  hasPassword: r.has_password === 1,
  hasClientKey: r.has_client_key === 1,
  hasKeyPassphrase: r.has_key_passphrase === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at
})

const toParams = (id: string, f: ProfileFields, flags: SecretFlags, now: string) => ({
  id,
  name: f.name,
  backend_url: f.backendUrl,
  mqtt_url: f.mqttUrl,
  username: f.username,
  auth_kind: f.authKind,
  ca_cert_pem: f.caCertPem,
  client_cert_pem: f.clientCertPem,
  tls_minimum: String(f.tlsMinimum),
  has_password: Number(flags.hasPassword),
  has_client_key: Number(flags.hasClientKey),
  has_key_passphrase: Number(flags.hasKeyPassphrase),
  now
})

/** SQLite rows of connection profiles: only what is not secret, plus flags for the secrets. */
export function createProfileRepo(db: Db) {
  const all = db.prepare('SELECT * FROM profiles ORDER BY name COLLATE NOCASE, created_at')
  const one = db.prepare('SELECT * FROM profiles WHERE id = ?')
  const insert = db.prepare(`INSERT INTO profiles
    (id, name, backend_url, mqtt_url, username, auth_kind, ca_cert_pem, client_cert_pem, tls_minimum,
     has_password, has_client_key, has_key_passphrase, created_at, updated_at)
    VALUES (@id, @name, @backend_url, @mqtt_url, @username, @auth_kind, @ca_cert_pem, @client_cert_pem, @tls_minimum,
     @has_password, @has_client_key, @has_key_passphrase, @now, @now)`)
  const update = db.prepare(`UPDATE profiles SET name = @name, backend_url = @backend_url, mqtt_url = @mqtt_url,
    username = @username, auth_kind = @auth_kind, ca_cert_pem = @ca_cert_pem, client_cert_pem = @client_cert_pem, tls_minimum = @tls_minimum,
    has_password = @has_password, has_client_key = @has_client_key, has_key_passphrase = @has_key_passphrase,
    updated_at = @now WHERE id = @id`)
  const remove = db.prepare('DELETE FROM profiles WHERE id = ?')

  return {
    list: (): ProfileView[] => (all.all() as Row[]).map(toView),
    get: (id: string): ProfileView | undefined => {
      const row = one.get(id) as Row | undefined
      return row && toView(row)
    },
    insert(id: string, fields: ProfileFields, flags: SecretFlags) {
      insert.run(toParams(id, fields, flags, new Date().toISOString()))
    },
    update(id: string, fields: ProfileFields, flags: SecretFlags) {
      update.run(toParams(id, fields, flags, new Date().toISOString()))
    },
    remove: (id: string) => remove.run(id).changes > 0
  }
}
export type ProfileRepo = ReturnType<typeof createProfileRepo>
