export function JobsScreen() {
  return <section className="panel wide" aria-label="JobsScreen" />
}
