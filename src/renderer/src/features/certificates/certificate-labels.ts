import { certificateState, type CertificateState, type DeviceCertificateView } from '../../../../shared/fleet/certificates'
import type { MessageKey } from '../../i18n'

export const stateKey = (s: CertificateState) => `certState_${s}` as MessageKey

/** A certificate's state now, for a valid one ending within `expiringDays` counted as expiring. */
export const stateOf = (c: DeviceCertificateView, expiringDays?: number) => certificateState(c, Date.now(), expiringDays)

/** The first 12 hex digits: enough to tell certificates apart on screen; the whole one is in the title. */
export const shortSerial = (serial: string) => (serial.length > 12 ? `${serial.slice(0, 12)}…` : serial)
