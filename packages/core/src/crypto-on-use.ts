// node:crypto loaded where a hash is first made, not when the plugin is imported. An ESM import of a
// Node built-in builds its namespace from every export, and crypto's pull in Node's streams and Web
// Crypto: about 10 ms of a config load (docs/benchmarks.md, round 24), paid even where nothing is
// ever hashed (a dev server, a test runner reading vite.config). getBuiltinModule hands over the
// module itself (Node >= 20.16; core needs 20.19).
import type { Hash } from 'node:crypto';

export type { Hash };

/** `crypto.createHash`, from the module as it is first needed. */
export function createHash(algorithm: string): Hash {
  return process.getBuiltinModule('node:crypto').createHash(algorithm);
}
