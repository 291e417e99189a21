const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json'
}

/** The content type of a file of the built renderer, by its extension ('.js'), for whichever of the two hosts serves it. */
export const contentTypeOf = (extension: string) => TYPES[extension] ?? 'application/octet-stream'
