import { version } from '../../package.json';

export const HOGMAPS_VERSION: string = version;

/** `hogmaps/<version>`, after the caller's own product token when given (`@hogmaps/vite/0.1.0`). */
export function userAgent(product?: string): string {
  const ours = `hogmaps/${HOGMAPS_VERSION} node/${process.versions.node}`;
  return product ? `${product} ${ours}` : ours;
}
