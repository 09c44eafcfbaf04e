import { format } from './shared.js';

export const A_REVISION = 1;

export function renderA(value) {
  if (!value) throw new Error('releases-boom-a');
  return format('a', value, A_REVISION);
}
