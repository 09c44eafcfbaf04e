// Reference plugins for the rollup family, not hogmaps: what target 1 can cost at least, by the way
// the id gets into the chunk. None makes a usable output (the maps are not adjusted); the bench
// checks only that rewrite and placeholder put their comment in every chunk.
//
// - `rewrite`: the least any plugin does that puts in an id computed from the chunk's final code (as
//   PostHog's UUIDv5 chunk ids are): in generateBundle, after every other plugin, read each chunk's
//   code, hash it (SHA-1, as a UUIDv5 does), and write it back with a line of the snippet's length in
//   front and the `//# chunkId=` comment at the end.
// - `read`: rewrite's first half, to tell reading from writing back: the code read and hashed,
//   nothing written (so nothing is injected, and the bench counts no marker).
// - `placeholder` (rolldown and Vite 8): no code crosses into JavaScript. `output.postBanner` and
//   `postFooter` carry the chunk's own file-name hash placeholder, which rolldown fills in when it
//   writes the chunk, so the id is the name's hash (8 characters by default), not one of the code.
import { createHash } from 'node:crypto';

/** As long as PostHog's chunk-id snippet with a UUID (309 characters), and as harmless. */
const SNIPPET_STAND_IN = `/*${'-'.repeat(305)}*/`;

interface ChunkLike {
  type: string;
  code?: string;
}

/** A UUID-shaped id from the SHA-1 of the code (the version and variant bits left as they come). */
function idOf(code: string): string {
  const hex = createHash('sha1').update(code).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** `rewrite`, or with `writeBack` false, `read`. */
export function rewritePlugin(writeBack = true): unknown {
  return {
    name: writeBack ? 'bench-reference-rewrite' : 'bench-reference-read',
    generateBundle: {
      order: 'post',
      handler(_output: unknown, bundle: Record<string, ChunkLike>) {
        for (const file of Object.values(bundle)) {
          if (file.type !== 'chunk' || file.code === undefined) continue;
          const code = file.code;
          const id = idOf(code);
          if (writeBack) file.code = `${SNIPPET_STAND_IN}${code}\n//# chunkId=${id}`;
        }
      },
    },
  };
}

/** rolldown's placeholder for a hash in a rendered chunk's file name: `!~{001}~`. */
const HASH_PLACEHOLDER = /!~\{\d+\}~/;

export function placeholderPlugin(): unknown {
  const ownHash = (chunk: { fileName: string }) => HASH_PLACEHOLDER.exec(chunk.fileName)?.[0] ?? 'unhashed';
  return {
    name: 'bench-reference-placeholder',
    // The stand-in's text goes into every name's hash, as hogmaps' snippet does.
    augmentChunkHash: () => SNIPPET_STAND_IN,
    outputOptions: (options: object) => ({
      ...options,
      postBanner: (chunk: { fileName: string }) => `${SNIPPET_STAND_IN.slice(0, -2)}${ownHash(chunk)}*/`,
      postFooter: (chunk: { fileName: string }) => `//# chunkId=${ownHash(chunk)}`,
    }),
  };
}
