import { formatsFor } from '../../../shared/format'

export type MessageVars = Record<string, string | number>

/**
 * Fills a catalog text. `{name}` takes a value; a number is written in the language's digits.
 * `{name, plural, one {# vehicle} other {# vehicles}}` picks the form the language's plural rules
 * give for that number (`#` is the number): English has one/other, Japanese only other, so its
 * texts carry their counter (台, 件) and need no plural block.
 */
export function fillMessage(locale: string, text: string, vars: MessageVars = {}): string {
  const format = formatsFor(locale)
  const value = (name: string) => {
    const v = vars[name]
    return typeof v === 'number' ? format.number(v) : (v ?? '')
  }
  let out = ''
  let i = 0
  while (i < text.length) {
    const open = text.indexOf('{', i)
    if (open < 0) break
    out += text.slice(i, open)
    const close = matchingBrace(text, open)
    const inner = text.slice(open + 1, close)
    const plural = /^(\w+),\s*plural,\s*/.exec(inner)
    if (plural) {
      const name = plural[1]!
      const forms = pluralForms(inner.slice(plural[0].length))
      const n = Number(vars[name])
      const form = forms.get(`=${n}`) ?? forms.get(Number.isFinite(n) ? pluralRules(locale).select(n) : 'other') ?? forms.get('other') ?? ''
      out += fillMessage(locale, form.replace(/#/g, `{${name}}`), vars)
    } else out += /^\w+$/.test(inner) ? value(inner) : `{${inner}}`
    i = close + 1
  }
  return out + text.slice(i)
}

function matchingBrace(text: string, open: number): number {
  let depth = 0
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++
    else if (text[i] === '}' && --depth === 0) return i
  }
  throw new Error(`Unbalanced braces in message: ${text}`)
}

function pluralForms(body: string): Map<string, string> {
  const forms = new Map<string, string>()
  let i = 0
  while (i < body.length) {
    const head = /^\s*(=?\w+)\s*\{/.exec(body.slice(i))
    if (!head) break
    const open = i + head[0].length - 1
    const close = matchingBrace(body, open)
    forms.set(head[1]!, body.slice(open + 1, close))
    i = close + 1
  }
  return forms
}

const rules = new Map<string, Intl.PluralRules>()
function pluralRules(locale: string) {
  let r = rules.get(locale)
  if (!r) rules.set(locale, (r = new Intl.PluralRules(locale)))
  return r
}

/** The value names a text uses, in every plural form: a translation must use the same. */
export function placeholdersOf(text: string): string[] {
  const names = new Set<string>()
  for (const n of [1, 2]) {
    const vars = new Proxy({} as MessageVars, { get: (_, name) => (names.add(String(name)), n) })
    fillMessage('en', text, vars)
  }
  return [...names].sort()
}
