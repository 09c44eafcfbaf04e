export interface ContentDisposition {
  type: string;
  params: Map<string, string>;
}

/**
 * Parses `form-data; name="file"; filename="chunk.js"` (RFC 6266 / 7578): quoted strings with
 * backslash escapes, plain tokens, `filename*=UTF-8''…`, and the single-quoted `filename='chunk'` the
 * oldest PostHog CLI sent. Parameter names are lower-cased.
 */
export function parseContentDisposition(header: string): ContentDisposition {
  let i = 0;
  const readUntil = (stops: string) => {
    const start = i;
    while (i < header.length && !stops.includes(header[i]!)) i++;
    return header.slice(start, i).trim();
  };
  const type = readUntil(';').toLowerCase();
  const params = new Map<string, string>();
  while (i < header.length) {
    i++; // the ';'
    const name = readUntil('=;').toLowerCase();
    if (header[i] !== '=') {
      if (name) params.set(name, '');
      continue;
    }
    i++;
    while (header[i] === ' ' || header[i] === '\t') i++;
    let value: string;
    if (header[i] === '"') {
      i++;
      value = '';
      while (i < header.length && header[i] !== '"') {
        if (header[i] === '\\' && i + 1 < header.length) i++;
        value += header[i];
        i++;
      }
      i++;
      readUntil(';');
    } else {
      value = readUntil(';');
      if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) value = value.slice(1, -1);
    }
    if (name.endsWith('*')) {
      const extended = /^([^']*)'[^']*'(.*)$/.exec(value);
      if (extended) {
        try {
          params.set(name.slice(0, -1), decodeURIComponent(extended[2]!));
        } catch {
          // an undecodable extended value is ignored; the plain parameter, if any, stays
        }
        continue;
      }
    }
    if (name && !params.has(name)) params.set(name, value);
  }
  return { type, params };
}
