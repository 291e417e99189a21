import type { ProfileDraft, ProfileView, SecretName } from '../../../shared/profile'
import type { TlsMinimum } from '../../../shared/security-profiles'

export interface FormState {
  name: string
  backendUrl: string
  mqttUrl: string
  username: string
  authKind: 'password' | 'token'
  caCertPem: string
  clientCertPem: string
  /** The select's value: 'any', 'quantum-safe', or a profile id as text. */
  tlsMinimum: string
  secrets: Record<SecretName, string>
  remove: Record<SecretName, boolean>
}

const noSecrets = { password: '', clientKeyPem: '', keyPassphrase: '' }
const keepAll = { password: false, clientKeyPem: false, keyPassphrase: false }

export const initialForm = (p?: ProfileView): FormState => ({
  name: p?.name ?? '',
  backendUrl: p?.backendUrl ?? 'https://',
  mqttUrl: p?.mqttUrl ?? 'mqtts://',
  username: p?.username ?? '',
  authKind: p?.authKind ?? 'password',
  caCertPem: p?.caCertPem ?? '',
  clientCertPem: p?.clientCertPem ?? '',
  tlsMinimum: String(p?.tlsMinimum ?? 'any'),
  secrets: { ...noSecrets },
  remove: { ...keepAll }
})

/** An empty secret field keeps what the keychain holds; "remove" clears it. */
const secretChange = (form: FormState, name: SecretName) => (form.remove[name] ? null : form.secrets[name] === '' ? undefined : form.secrets[name])

export const toDraft = (form: FormState): ProfileDraft => ({
  name: form.name,
  backendUrl: form.backendUrl,
  mqttUrl: form.mqttUrl,
  username: form.username,
  authKind: form.authKind,
  caCertPem: form.caCertPem.trim() === '' ? null : form.caCertPem,
  clientCertPem: form.clientCertPem.trim() === '' ? null : form.clientCertPem,
  tlsMinimum: /^\d+$/.test(form.tlsMinimum) ? Number(form.tlsMinimum) : (form.tlsMinimum as TlsMinimum),
  password: secretChange(form, 'password'),
  clientKeyPem: secretChange(form, 'clientKeyPem'),
  keyPassphrase: secretChange(form, 'keyPassphrase')
})
