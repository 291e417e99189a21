export function PoliciesScreen() {
  return <section className="panel wide" aria-label="PoliciesScreen" />
}
