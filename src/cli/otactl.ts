import { BUNDLE_SYNOPSIS, bundleCommand } from './bundle-cli'
import { CERTIFICATES_SYNOPSIS, certificatesCommand } from './certificates-cli'
import { DIAG_SYNOPSIS, diagCommand } from './diag-cli'
import { DISCOVER_SYNOPSIS, discoverCommand } from './discover-cli'
import { EXIT, failureOf } from './exit-codes'
import { FLASH_SYNOPSIS, flashCommand } from './flash-cli'
import { errorJson, note, say } from './output'

/** otactl: the console's diagnostics, flashing and offline bundles from a terminal, over the same core. */

const USAGE = `otactl: vehicle discovery and diagnostics over DoIP, flashing, offline bundles and device certificates from the command line (docs/otactl.md)

  ${DISCOVER_SYNOPSIS}
  ${DIAG_SYNOPSIS}
  ${FLASH_SYNOPSIS}
${BUNDLE_SYNOPSIS.map((l) => `  ${l}`).join('\n')}
${CERTIFICATES_SYNOPSIS.map((l) => `  ${l}`).join('\n')}

Add --help to a command for its options. --json prints one JSON document on stdout.
Exit codes: 0 ok, 1 usage or bad input, 2 connection error, 3 timeout, 4 negative response (NRC),
5 verification refused (bundle or image), 6 other failure, 130 interrupted (Ctrl-C).`

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  discover: discoverCommand,
  diag: diagCommand,
  flash: flashCommand,
  bundle: bundleCommand,
  certificates: certificatesCommand
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    say(USAGE)
    return name === undefined ? EXIT.usage : EXIT.ok
  }
  const command = COMMANDS[name]
  if (!command) {
    note(`otactl: "${name}" is not a command: discover, diag, flash, bundle or certificates (otactl help)`)
    return EXIT.usage
  }
  try {
    return await command(args)
  } catch (err) {
    const failure = failureOf(err)
    if (argv.includes('--json')) say(JSON.stringify(errorJson(failure), null, 2))
    note(`otactl ${name}: ${failure.message}`)
    if (failure.exit === EXIT.usage) note(`(otactl ${name} --help shows its usage)`)
    return failure.exit
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
