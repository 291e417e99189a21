import { openConsoleCore, type ConsoleCore } from './console-core'
import { EXIT, UsageError } from './exit-codes'
import { say } from './output'

export type Subcommand<V> = (data: ConsoleCore, values: V, args: string[]) => Promise<number>

/**
 * `otactl GROUP NAME …`, parsed: the usage without a name (or with --help), a named refusal of an
 * unknown one, else the subcommand on the console's own data, closed after.
 */
export async function dispatch<V extends { help?: boolean; 'data-dir'?: string }>(
  group: string,
  { values, positionals }: { values: V; positionals: string[] },
  usage: string,
  subcommands: Record<string, Subcommand<V>>
) {
  const [name, ...rest] = positionals
  if (values.help || name === undefined) return (say(usage), name === undefined && !values.help ? EXIT.usage : EXIT.ok)
  const handler = subcommands[name]
  if (!handler) throw new UsageError(`"${name}" is not a ${group} command: ${Object.keys(subcommands).join(', ')}`)
  const data = await openConsoleCore(values['data-dir'])
  try {
    return await handler(data, values, rest)
  } finally {
    await data.close()
  }
}
