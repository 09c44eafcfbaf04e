import type { ApiContext, ApiRoute } from '../api/router';
import { parseUuid } from '../db/ids';
import { isUniqueViolation } from '../db/open';
import { isPlainObject } from '../http/body';
import { notFound, validationError } from '../http/errors';
import { pythonStr } from '../http/fields';
import { buildPage, readPageRequest } from '../http/pagination';
import { sendJson } from '../http/respond';
import type { ReleaseChanges, ReleaseRow } from './store';
import { releaseJson } from './store';

const MAX_HASH_ID_LENGTH = 128;

// The view raises plain `ValidationError("…")`, which drf-exceptions-hog reports as invalid_input.
const invalid = (detail: string) => validationError('invalid_input', detail);

function hashInUse(hashId: string) {
  return validationError('release_hash_in_use', `Hash id ${hashId} already in use`);
}

/** Python truthiness, which decides both "is required" and "only truthy fields change". */
function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

/** The view's `str(hash_id)` and its length check (in characters, as Python counts). */
function checkHashId(value: unknown): string {
  const hashId = pythonStr(value);
  if ([...hashId].length > MAX_HASH_ID_LENGTH) throw invalid('Hash id length cannot exceed 128 bytes');
  return hashId;
}

async function readObject(ctx: ApiContext): Promise<Record<string, unknown>> {
  const body = await ctx.readJson();
  if (!isPlainObject(body)) throw invalid('Expected a JSON object');
  return body;
}

function findRelease(ctx: ApiContext): ReleaseRow {
  const id = parseUuid(ctx.params[0]!);
  const row = id === undefined ? undefined : ctx.app.releases.get(ctx.projectId, id);
  if (!row) throw notFound();
  return row;
}

async function createRelease(ctx: ApiContext): Promise<void> {
  const body = await readObject(ctx);
  // As lenient as the Django view: `str()` of any truthy version and project, metadata any JSON.
  if (!isTruthy(body.version)) throw invalid('Version is required');
  if (!isTruthy(body.project)) throw invalid('Project is required');
  const version = pythonStr(body.version);
  const project = pythonStr(body.project);
  const hashId = isTruthy(body.hash_id) ? checkHashId(body.hash_id) : undefined;
  const metadata = body.metadata === undefined ? null : body.metadata;
  const { releases } = ctx.app;
  if (hashId !== undefined && releases.getByHash(ctx.projectId, hashId)) throw hashInUse(hashId);
  let row: ReleaseRow;
  try {
    row = releases.insert(ctx.projectId, { hashId, version, project, metadata });
  } catch (error) {
    if (isUniqueViolation(error) && hashId !== undefined) throw hashInUse(hashId);
    throw error;
  }
  sendJson(ctx.res, 201, releaseJson(row));
}

/** PUT and PATCH alike: only truthy fields change; the answer is a bodiless 204. */
async function updateRelease(ctx: ApiContext): Promise<void> {
  const row = findRelease(ctx);
  const body = await readObject(ctx);
  const changes: ReleaseChanges = {};
  if (isTruthy(body.version)) changes.version = pythonStr(body.version);
  if (isTruthy(body.project)) changes.project = pythonStr(body.project);
  if (isTruthy(body.metadata)) changes.metadata = body.metadata;
  if (isTruthy(body.hash_id)) {
    const hashId = checkHashId(body.hash_id);
    const holder = ctx.app.releases.getByHash(ctx.projectId, hashId);
    if (holder && holder.id !== row.id) throw hashInUse(hashId);
    changes.hashId = hashId;
  }
  try {
    ctx.app.releases.update(ctx.projectId, row.id, changes);
  } catch (error) {
    if (isUniqueViolation(error) && changes.hashId !== undefined) throw hashInUse(changes.hashId);
    throw error;
  }
  sendJson(ctx.res, 204, null);
}

export const releaseRoutes: ApiRoute[] = [
  {
    path: /^releases$/,
    methods: {
      GET: {
        scope: 'read',
        handle(ctx) {
          const page = readPageRequest(ctx.url, null);
          const { rows, count } = ctx.app.releases.list(ctx.projectId, page);
          sendJson(ctx.res, 200, buildPage(ctx.url, page, rows.map(releaseJson), count));
        },
      },
      POST: { scope: 'write', handle: createRelease },
    },
  },
  {
    // The real route's `[^/.]+`: a hash containing `/` or `.` can never be looked up.
    path: /^releases\/hash\/([^/.]+)$/,
    methods: {
      GET: {
        scope: 'read',
        handle(ctx) {
          const row = ctx.app.releases.getByHash(ctx.projectId, ctx.params[0]!);
          if (!row) throw notFound();
          sendJson(ctx.res, 200, releaseJson(row));
        },
      },
    },
  },
  {
    path: /^releases\/([^/.]+)$/,
    methods: {
      GET: { scope: 'read', handle: (ctx) => sendJson(ctx.res, 200, releaseJson(findRelease(ctx))) },
      PUT: { scope: 'write', handle: updateRelease },
      PATCH: { scope: 'write', handle: updateRelease },
      DELETE: {
        scope: 'write',
        handle(ctx) {
          const row = findRelease(ctx);
          ctx.app.releases.remove(ctx.projectId, row.id);
          sendJson(ctx.res, 204, null);
        },
      },
    },
  },
];
