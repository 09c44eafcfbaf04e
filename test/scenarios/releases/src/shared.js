// Used by both routes: a chunk of its own where the bundler splits shared code.
export function format(name, value, revision) {
  if (typeof value !== 'number') throw new TypeError('releases-boom-shared');
  return `${name}:${value}:${revision}`;
}
