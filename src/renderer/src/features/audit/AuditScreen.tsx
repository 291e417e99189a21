export function AuditScreen() {
  return <section className="panel wide" aria-label="AuditScreen" />
}
