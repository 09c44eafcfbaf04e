export function label(value) {
  if (!value) throw new Error('pages-boom-util');
  return `label:${value}`;
}
