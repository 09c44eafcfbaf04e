import path from 'node:path';

export function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}

/** Names for a message: the first `shown` of them, then how many more. */
export function listNames(names: readonly string[], shown = 5): string {
  const more = names.length > shown ? ` and ${names.length - shown} more` : '';
  return names.slice(0, shown).join(', ') + more;
}

/** A path for messages: relative to the working directory when inside it. */
export function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative)
    ? relative.split(path.sep).join('/')
    : file;
}
