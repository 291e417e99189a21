/**
 * The MQTT and HTTPS connections open on each device certificate, so that a revocation closes
 * them and an expired certificate does not keep one alive.
 */
export function createDeviceSessions() {
  const bySerial = new Map<string, Set<{ notAfter: number; close: () => void }>>()
  return {
    /** Keeps a connection on a certificate; the answer forgets it again (call it when it closes). */
    add(serial: string, notAfter: number, close: () => void) {
      const session = { notAfter, close }
      const set = bySerial.get(serial) ?? new Set()
      bySerial.set(serial, set.add(session))
      return () => {
        set.delete(session)
        if (set.size === 0 && bySerial.get(serial) === set) bySerial.delete(serial)
      }
    },
    /** Closes every connection on the certificate; answers how many there were. */
    close(serial: string) {
      const set = bySerial.get(serial)
      bySerial.delete(serial)
      for (const s of set ?? []) s.close()
      return set?.size ?? 0
    },
    closeExpired(now = Date.now()) {
      for (const set of bySerial.values()) {
        for (const s of set) {
          if (s.notAfter > now) continue
          set.delete(s)
          s.close()
        }
      }
      for (const [serial, set] of bySerial) if (set.size === 0) bySerial.delete(serial)
    },
    count: (serial: string) => bySerial.get(serial)?.size ?? 0
  }
}
export type DeviceSessions = ReturnType<typeof createDeviceSessions>
