import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HogmapsError } from '../errors';
import { isValidChunkId } from '../inject/snippet';
import type { ReleaseMode } from '../options/types';
import { maskSecrets } from '../secrets';

/** What happened to one chunk's symbol set. `pending` means "not attempted yet": retry it. */
export type ManifestChunkStatus = 'uploaded' | 'already-present' | 'failed' | 'too-large' | 'pending';

export interface ManifestChunk {
  chunkId: string;
  /** The shipped JS file, relative to the manifest's folder (forward slashes). */
  file: string;
  /** Its source map, relative to the manifest's folder; kept outside the output when it was moved aside. */
  map: string | null;
  status: ManifestChunkStatus;
  /** Why it failed, when it did. */
  error?: string;
}

/** `hogmaps-manifest.json`: enough to retry an upload later (`hogmaps upload --manifest`) without rebuilding. */
export interface Manifest {
  manifestVersion: 1;
  tool: string;
  createdAt: string;
  host: string;
  projectId: string | null;
  releaseMode: ReleaseMode;
  release: {
    id: string | null;
    name: string;
    version: string;
    hashId: string;
    /** Why the build could not register it (event mode): its code carries no release id. */
    error?: string;
  } | null;
  chunks: ManifestChunk[];
}

const STATUSES: readonly ManifestChunkStatus[] = [
  'uploaded',
  'already-present',
  'failed',
  'too-large',
  'pending',
];

/**
 * Written through a temp file and a rename, so a crash never leaves half a manifest. Every string is
 * masked: an `error` may quote what a server sent back.
 */
export async function writeManifest(file: string, manifest: Manifest): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const mask = (_key: string, value: unknown) => (typeof value === 'string' ? maskSecrets(value) : value);
  await writeFile(temp, `${JSON.stringify(manifest, mask, 2)}\n`);
  await rename(temp, file);
}

function invalid(file: string, what: string): HogmapsError {
  return new HogmapsError('invalid_manifest', `${file} is not a hogmaps manifest: ${what}`);
}

export async function readManifest(file: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new HogmapsError(
      'manifest_not_found',
      `Cannot read the manifest ${file}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw invalid(file, 'not valid JSON');
  }
  const manifest = data as Partial<Manifest>;
  if (!manifest || typeof manifest !== 'object' || manifest.manifestVersion !== 1) {
    throw invalid(file, 'missing or unknown `manifestVersion` (expected 1)');
  }
  if (!Array.isArray(manifest.chunks)) throw invalid(file, '`chunks` must be a list');
  manifest.chunks.forEach((chunk, index) => {
    if (!chunk || typeof chunk.chunkId !== 'string' || typeof chunk.file !== 'string' || !chunk.file) {
      throw invalid(file, `chunks[${index}] needs a string \`chunkId\` and \`file\``);
    }
    // It names files (pending maps) and goes to the server: only a real chunk id.
    if (!isValidChunkId(chunk.chunkId)) {
      throw invalid(file, `chunks[${index}].chunkId ${quote(chunk.chunkId)} is not a chunk id`);
    }
    if (chunk.map !== null && typeof chunk.map !== 'string') throw invalid(file, `chunks[${index}].map`);
    if (!STATUSES.includes(chunk.status))
      throw invalid(file, `chunks[${index}].status ${String(chunk.status)}`);
  });
  if (manifest.releaseMode !== 'event' && manifest.releaseMode !== 'symbol-set') {
    throw invalid(file, '`releaseMode` must be "event" or "symbol-set"');
  }
  if (typeof manifest.host !== 'string' || !/^https?:\/\/[^\s]+$/.test(manifest.host)) {
    throw invalid(file, `\`host\` ${quote(manifest.host)} is not an http(s) URL`);
  }
  if (
    manifest.projectId !== null &&
    !(typeof manifest.projectId === 'string' && /^\d{1,20}$/.test(manifest.projectId))
  ) {
    throw invalid(file, `\`projectId\` ${quote(manifest.projectId)} is not a project id`);
  }
  checkRelease(file, manifest.release);
  return manifest as Manifest;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkRelease(file: string, release: unknown): void {
  if (release === null) return;
  const value = release as Partial<NonNullable<Manifest['release']>> | undefined;
  if (!value || typeof value !== 'object') throw invalid(file, '`release` must be an object or null');
  if (value.id !== null && !(typeof value.id === 'string' && UUID.test(value.id))) {
    throw invalid(file, `\`release.id\` ${quote(value.id)} is not a release UUID`);
  }
  if (typeof value.name !== 'string' || typeof value.version !== 'string') {
    throw invalid(file, '`release` needs a string `name` and `version`');
  }
  if (typeof value.hashId !== 'string' || !/^[0-9a-f]{128}$/.test(value.hashId)) {
    throw invalid(file, '`release.hashId` is not a release hash');
  }
  if (value.error !== undefined && typeof value.error !== 'string') throw invalid(file, '`release.error`');
}

/** A value from the file, quoted and cut short for a message. */
function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** The manifest's record of a release; `registrationError` when the build could not register it. */
export function releaseRecord(
  identity: { name: string; version: string; hashId: string },
  id: string | undefined,
  registrationError: string | undefined,
): NonNullable<Manifest['release']> {
  const { name, version, hashId } = identity;
  return {
    id: id ?? null,
    name,
    version,
    hashId,
    ...(registrationError ? { error: `not registered, so not injected: ${registrationError}` } : {}),
  };
}

/** What happened to one chunk id in a session, and where its map is now (if anywhere). */
export interface ChunkOutcome {
  status: ManifestChunkStatus;
  mapPath: string | undefined;
  error?: string;
}

/** Sets the manifest's entries for `chunks` (absolute paths) from their recorded outcomes. */
export function recordChunks(
  manifest: Manifest,
  manifestDir: string,
  chunks: ReadonlyArray<{ chunkId: string; jsPath: string }>,
  outcomes: ReadonlyMap<string, ChunkOutcome>,
): void {
  const byId = new Map(manifest.chunks.map((chunk) => [chunk.chunkId, chunk]));
  for (const chunk of chunks) {
    const outcome = outcomes.get(chunk.chunkId);
    if (!outcome) continue;
    const entry: ManifestChunk = {
      chunkId: chunk.chunkId,
      file: toManifestPath(manifestDir, chunk.jsPath),
      map: outcome.mapPath ? toManifestPath(manifestDir, outcome.mapPath) : null,
      status: outcome.status,
    };
    if (outcome.error) entry.error = outcome.error;
    byId.set(chunk.chunkId, entry);
  }
  manifest.chunks = [...byId.values()];
}

/** Chunks a retry should upload again. */
export function chunksToRetry(manifest: Manifest): ManifestChunk[] {
  return manifest.chunks.filter((chunk) => chunk.status === 'failed' || chunk.status === 'pending');
}

export function toManifestPath(manifestDir: string, file: string): string {
  return path.relative(manifestDir, file).split(path.sep).join('/');
}
