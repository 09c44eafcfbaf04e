import { format } from './shared.js';

export function renderB(value) {
  if (!value) throw new Error('releases-boom-b');
  return format('b', value, 0);
}
