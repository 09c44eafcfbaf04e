import type { IncomingMessage } from 'node:http';
import type { App } from '../app';
import { parseUuid } from '../db/ids';
import { isPlainObject } from '../http/body';
import { parseContentDisposition } from '../http/content-disposition';
import { detailError, notFound, parseError, serverError, validationError } from '../http/errors';
import type { FileSink } from '../http/multipart';
import { MultipartError, multipartBoundary, readMultipart } from '../http/multipart';
import type { BlobWriter } from '../storage/blobs';
import type { PresignedPost } from '../storage/presign';
import { LEGACY_UPLOAD_EXPIRY_SECONDS, MAX_SYMBOL_SET_BYTES } from '../storage/presign';
import { finishOneLegacy } from './finish';
import { dropUnusedObjects } from './objects';

/** The deprecated single-set endpoints (start_upload, finish_upload, direct create), section 3.7. */

function requireChunkId(url: URL): string {
  const chunkId = url.searchParams.get('chunk_id');
  if (!chunkId) throw detailError(400, 'chunk_id query parameter is required');
  return chunkId;
}

/** The real server looks the release up without handling a miss, so an unknown id is a 500 there too. */
function legacyRelease(app: App, teamId: number, url: URL): string | null {
  const value = url.searchParams.get('release_id');
  if (!value) return null;
  const id = parseUuid(value);
  const release = id === undefined ? undefined : app.releases.get(teamId, id);
  if (!release) {
    app.logger.warn(
      `release_id ${JSON.stringify(value)} is unknown in project ${teamId}; answering 500 as PostHog does`,
    );
    throw serverError();
  }
  return release.id;
}

/**
 * The deprecated upsert: a new storage key and `content_hash` (NULL when pending), the release bound
 * if the row had none. A pending key is recorded as this start's upload. Returns the row id and the
 * key the row no longer points at.
 */
function upsertLegacy(
  app: App,
  teamId: number,
  ref: string,
  values: { releaseId: string | null; storagePtr: string; contentHash: string | null },
): { id: string; staleKey: string | null } {
  return app.db.transaction(() => {
    let row = app.symbolSets.getByRef(teamId, ref);
    let staleKey: string | null = null;
    if (!row) {
      row = app.symbolSets.insert(teamId, { ref, ...values });
    } else {
      if (values.releaseId !== null && row.release_id !== null && row.release_id !== values.releaseId) {
        throw validationError(
          'invalid_input',
          'Symbol set has already been uploaded for a different release',
        );
      }
      app.symbolSets.update(row.id, {
        storage_ptr: values.storagePtr,
        content_hash: values.contentHash,
        release_id: row.release_id ?? values.releaseId,
        failure_reason: null,
      });
      staleKey = row.storage_ptr;
    }
    if (values.contentHash === null) {
      app.uploads.open(values.storagePtr, row.id, null, LEGACY_UPLOAD_EXPIRY_SECONDS);
    }
    return { id: row.id, staleKey };
  })();
}

/** `POST symbol_sets/start_upload?chunk_id=…[&release_id=…]` → presigned POST valid for an hour. */
export async function startUploadLegacy(
  app: App,
  teamId: number,
  url: URL,
  origin: string,
): Promise<{ presigned_url: PresignedPost; symbol_set_id: string }> {
  const chunkId = requireChunkId(url);
  const releaseId = legacyRelease(app, teamId, url);
  const key = app.blobs.newKey();
  const { id, staleKey } = upsertLegacy(app, teamId, chunkId, {
    releaseId,
    storagePtr: key,
    contentHash: null,
  });
  await dropUnusedObjects(app, [staleKey]);
  return {
    presigned_url: app.presigner.presignPost(origin, key, LEGACY_UPLOAD_EXPIRY_SECONDS),
    symbol_set_id: id,
  };
}

/** `PUT symbol_sets/:id/finish_upload` `{content_hash}`: HEAD checks, then the hash if none was stored. */
export async function finishUploadLegacy(app: App, teamId: number, id: string, body: unknown): Promise<void> {
  const hash = isPlainObject(body) ? body.content_hash : undefined;
  if (typeof hash !== 'string' || hash === '') {
    throw validationError(
      'content_hash_required',
      'A content hash must be provided to complete symbol set upload.',
    );
  }
  const uuid = parseUuid(id);
  const row = uuid === undefined ? undefined : app.symbolSets.get(teamId, uuid);
  if (!row) throw notFound();
  await finishOneLegacy(app, row, hash);
}

const TOO_LARGE = 'Combined source map and symbol set must be less than 100MB';

function cappedSink(writer: BlobWriter): FileSink {
  return {
    async write(chunk) {
      if (writer.size + chunk.length > MAX_SYMBOL_SET_BYTES)
        throw validationError('file_too_large', TOO_LARGE);
      await writer.write(chunk);
    },
  };
}

/** Streams the uploaded file (raw body or multipart `file` part) into `writer`. */
async function receiveFile(req: IncomingMessage, url: URL, writer: BlobWriter): Promise<void> {
  const source = req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>;
  const sink = cappedSink(writer);
  if (!url.searchParams.get('multipart')) {
    // DRF's FileUploadParser insists on a filename.
    const disposition = req.headers['content-disposition'];
    if (!disposition || !parseContentDisposition(disposition).params.get('filename')) {
      throw parseError(
        'Missing filename. Request should include a Content-Disposition header with a filename parameter.',
      );
    }
    for await (const chunk of source) await sink.write(chunk);
    return;
  }
  const boundary = multipartBoundary(req.headers['content-type']);
  if (!boundary) throw parseError('Multipart form parse error - Invalid boundary in multipart: None');
  try {
    const form = await readMultipart(source, {
      boundary,
      isFile: (part) => part.name === 'file',
      openFile: async (part) => {
        if (!part.filename) {
          throw validationError(
            'invalid',
            'The "file" part has no filename; send it as a file upload.',
            'file',
          );
        }
        return sink;
      },
    });
    if (!form.file) throw validationError('required', 'No file was submitted.', 'file');
  } catch (error) {
    if (error instanceof MultipartError) throw parseError(`Multipart form parse error - ${error.message}`);
    throw error;
  }
}

/**
 * `POST symbol_sets?chunk_id=…[&release_id=…][&multipart=true]`: the server stores the bytes itself,
 * hashes them (SHA-512) and upserts the row as finished.
 */
export async function createSymbolSetLegacy(
  app: App,
  teamId: number,
  req: IncomingMessage,
  url: URL,
): Promise<void> {
  const chunkId = requireChunkId(url);
  const releaseId = legacyRelease(app, teamId, url);
  const writer = await app.blobs.createWriter('sha512');
  let committedKey: string | undefined;
  try {
    await receiveFile(req, url, writer);
    if (writer.size === 0) throw validationError('empty', 'The submitted file is empty.', 'file');
    const key = app.blobs.newKey();
    const sha512 = writer.digest();
    await writer.commit(key);
    committedKey = key;
    const { staleKey } = upsertLegacy(app, teamId, chunkId, {
      releaseId,
      storagePtr: key,
      contentHash: sha512,
    });
    committedKey = undefined;
    await dropUnusedObjects(app, [staleKey]);
  } finally {
    if (committedKey) await app.blobs.remove(committedKey);
    else await writer.abort();
  }
}
