/** One `key = value` of a git config file. Section and key are lowercased; the subsection is not. */
export interface GitConfigEntry {
  section: string;
  subsection: string | undefined;
  key: string;
  /** `true` for a bare key (`[core] bare` means `bare = true`). */
  value: string | true;
}

const HEADER_QUOTED = /^\s*([A-Za-z0-9.-]+)\s+"((?:[^"\\]|\\.)*)"\s*$/;
const HEADER_PLAIN = /^\s*([A-Za-z0-9.-]+)\s*$/;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', b: '\b', '"': '"', '\\': '\\' };

/**
 * Parses git's config format (git-config(1) "Syntax"): comments, quoted values with escapes,
 * line continuations, `[section "sub"]` and the deprecated `[section.sub]`. Includes
 * (`[include] path`) are not followed; we only need remotes and extensions.
 */
export function parseGitConfig(text: string): GitConfigEntry[] {
  const entries: GitConfigEntry[] = [];
  let section = '';
  let subsection: string | undefined;
  let pos = 0;

  const skipLine = () => {
    while (pos < text.length && text[pos] !== '\n') pos++;
  };

  while (pos < text.length) {
    const ch = text[pos]!;
    if (/\s/.test(ch)) {
      pos++;
    } else if (ch === '#' || ch === ';') {
      skipLine();
    } else if (ch === '[') {
      const end = text.indexOf(']', pos);
      const header = end < 0 ? '' : text.slice(pos + 1, end);
      pos = end < 0 ? text.length : end + 1;
      const quoted = HEADER_QUOTED.exec(header);
      const plain = HEADER_PLAIN.exec(header);
      if (quoted) {
        section = quoted[1]!.toLowerCase();
        subsection = quoted[2]!.replace(/\\(.)/g, '$1');
      } else if (plain) {
        const [name, ...rest] = plain[1]!.split('.');
        section = name!.toLowerCase();
        subsection = rest.length > 0 ? rest.join('.').toLowerCase() : undefined;
      }
    } else {
      const key = /^[A-Za-z][A-Za-z0-9-]*/.exec(text.slice(pos, pos + 256))?.[0];
      if (!key) {
        skipLine();
        continue;
      }
      pos += key.length;
      while (text[pos] === ' ' || text[pos] === '\t') pos++;
      let value: string | true = true;
      if (text[pos] === '=') {
        pos++;
        value = readValue();
      }
      if (section) entries.push({ section, subsection, key: key.toLowerCase(), value });
    }
  }
  return entries;

  function readValue(): string {
    let out = '';
    let pending = '';
    let quoted = false;
    while (pos < text.length) {
      const ch = text[pos]!;
      if (ch === '\n' || (ch === '\r' && text[pos + 1] === '\n')) break;
      pos++;
      if (ch === '\\') {
        const next = text[pos];
        if (next === '\n' || (next === '\r' && text[pos + 1] === '\n')) {
          pos += next === '\n' ? 1 : 2;
          continue;
        }
        pos++;
        out += pending + (next === undefined ? '' : (ESCAPES[next] ?? next));
        pending = '';
      } else if (ch === '"') {
        quoted = !quoted;
        out += pending;
        pending = '';
      } else if (!quoted && (ch === '#' || ch === ';')) {
        skipLine();
        break;
      } else if (!quoted && (ch === ' ' || ch === '\t')) {
        if (out) pending += ch;
      } else {
        out += pending + ch;
        pending = '';
      }
    }
    return out;
  }
}

/** The last value of `section.key` (git's "last one wins" for single-valued keys). */
export function getConfigValue(
  entries: readonly GitConfigEntry[],
  section: string,
  key: string,
): string | true | undefined {
  let found: string | true | undefined;
  for (const entry of entries) {
    if (entry.section === section && entry.subsection === undefined && entry.key === key) found = entry.value;
  }
  return found;
}
