import type { App } from '../app';
import type { FindSymbolSet } from './symbol-set-cache';

/** A project's finished symbol set for a chunk id, from the app's stores (read only when needed). */
export function symbolSetFinder(app: App): FindSymbolSet {
  return (projectId, chunkId) => {
    const row = app.symbolSets.getByRef(projectId, chunkId);
    const key = row?.storage_ptr;
    if (!row || row.content_hash === null || !key) return undefined;
    // Symbolication counts as use, as cymbal's does.
    app.symbolSets.touchLastUsed([row.id]);
    // Every upload gets a new key, so key and hash identify the content without reading it.
    return { fingerprint: `${key}\u0000${row.content_hash}`, read: () => app.blobs.readSync(key) };
  };
}
