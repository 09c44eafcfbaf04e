import { statSync } from 'node:fs';
import type { App } from '../app';
import { isRecord } from '../events/capture-body';
import type { ReleaseRow } from '../releases/store';
import type { SymbolSetRow } from '../symbol-sets/store';
import { releaseRef } from './views';

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

/** The git details a release was created with (hogmaps and posthog-cli send `metadata.git`). */
function gitOf(metadata: string | null) {
  let parsed: unknown = null;
  try {
    parsed = metadata === null ? null : JSON.parse(metadata);
  } catch {
    // stored by an older client or by hand: shown without git details
  }
  const git = isRecord(parsed) && isRecord(parsed.git) ? parsed.git : {};
  return {
    commit: text(git.commit_id),
    branch: text(git.branch),
    repo: text(git.repo_name),
    remote_url: text(git.remote_url),
  };
}

/** A release on the releases page: its name, git details, bound symbol sets and exceptions. */
export function releaseView(
  row: ReleaseRow,
  symbolSets: { total: number; finished: number } | undefined,
  exceptions: number | undefined,
) {
  return {
    id: row.id,
    label: `${row.project}@${row.version}`,
    project: row.project,
    version: row.version,
    hash_id: row.hash_id,
    created_at: row.created_at,
    git: gitOf(row.metadata),
    symbol_sets: symbolSets ?? { total: 0, finished: 0 },
    exceptions: exceptions ?? 0,
  };
}

/** A symbol set on the symbol sets page: chunk id, status, stored size and release. */
export function symbolSetView(app: App, row: SymbolSetRow, release: ReleaseRow | undefined) {
  let size: number | null = null;
  if (row.storage_ptr !== null && row.content_hash !== null) {
    try {
      size = statSync(app.blobs.pathFor(row.storage_ptr)).size;
    } catch {
      // the object is gone; shown without a size
    }
  }
  return {
    id: row.id,
    chunk_id: row.ref,
    created_at: row.created_at,
    last_used: row.last_used,
    status: row.failure_reason ? 'failed' : row.content_hash !== null ? 'finished' : 'pending',
    failure_reason: row.failure_reason,
    size,
    release: releaseRef(release),
  };
}
