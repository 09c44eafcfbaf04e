import { label } from './util.js';

export function render(value) {
  if (!value) throw new Error('pages-boom-route');
  return `${label(value)}!`;
}
