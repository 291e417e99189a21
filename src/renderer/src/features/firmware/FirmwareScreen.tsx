export function FirmwareScreen() {
  return <section className="panel wide" aria-label="FirmwareScreen" />
}
