export function FleetScreen() {
  return <section className="panel wide" aria-label="FleetScreen" />
}
