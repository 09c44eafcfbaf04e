import type { ApiContext, ApiRoute } from '../api/router';
import { parseUuid } from '../db/ids';
import { discardBody, isPlainObject } from '../http/body';
import { detailError, notFound, validationError } from '../http/errors';
import { requireObject } from '../http/fields';
import { buildPage, readPageRequest } from '../http/pagination';
import { sendJson } from '../http/respond';
import { DOWNLOAD_EXPIRY_SECONDS } from '../storage/presign';
import { finishUploads } from './finish';
import { createSymbolSetLegacy, finishUploadLegacy, startUploadLegacy } from './legacy';
import { dropUnusedObjects, removeSymbolSetRow, sweepExpiredUploads } from './objects';
import type { SymbolSetFilter, SymbolSetOrdering, SymbolSetRow } from './store';
import { SYMBOL_SET_ORDERINGS, symbolSetJson } from './store';
import { checkUploads, startUploads } from './upload';
import { parseUploadRequest } from './upload-request';

const MAX_PAGE = 100;
const STATUSES = ['all', 'valid', 'invalid'] as const;
const FALSE_QUERY_VALUES = new Set(['false', 'False', 'FALSE', '0', 'no', 'off', 'f', 'n']);

function findSymbolSet(ctx: ApiContext): SymbolSetRow {
  const id = parseUuid(ctx.params[0]!);
  const row = id === undefined ? undefined : ctx.app.symbolSets.get(ctx.projectId, id);
  if (!row) throw notFound();
  return row;
}

function sendSymbolSet(ctx: ApiContext, row: SymbolSetRow): void {
  const release = row.release_id === null ? undefined : ctx.app.releases.get(ctx.projectId, row.release_id);
  sendJson(ctx.res, 200, symbolSetJson(row, release));
}

/** A ChoiceField of the list query serializer: absent is the default, anything else must be a choice. */
function choiceParam<T extends string>(url: URL, name: string, choices: readonly T[], fallback: T): T {
  const value = url.searchParams.get(name);
  if (value === null) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw validationError('invalid_choice', `"${value}" is not a valid choice.`, name);
  }
  return value as T;
}

/** A CharField of the list query serializer: absent is no filter, present must not be blank. */
function textParam(url: URL, name: string): string | undefined {
  const value = url.searchParams.get(name);
  if (value === null) return undefined;
  if (value.trim() === '') throw validationError('blank', 'This field may not be blank.', name);
  return value.trim();
}

/** ErrorTrackingSymbolSetListQuerySerializer. */
function readFilter(url: URL): SymbolSetFilter {
  return {
    ref: textParam(url, 'ref'),
    search: textParam(url, 'search'),
    status: choiceParam(url, 'status', STATUSES, 'all'),
    orderBy: choiceParam<SymbolSetOrdering>(url, 'order_by', SYMBOL_SET_ORDERINGS, '-created_at'),
  };
}

function listSymbolSets(ctx: ApiContext): void {
  const filter = readFilter(ctx.url);
  const page = readPageRequest(ctx.url, MAX_PAGE);
  const includeCount = !FALSE_QUERY_VALUES.has(ctx.url.searchParams.get('include_count') ?? 'true');
  const { items, count } = ctx.app.symbolSets.list(ctx.projectId, filter, page, includeCount);
  const results = items.map(({ row, release }) => symbolSetJson(row, release));
  sendJson(ctx.res, 200, buildPage(ctx.url, page, results, count));
}

async function bulkDelete(ctx: ApiContext): Promise<void> {
  const body = await ctx.readJson();
  const ids = isPlainObject(body) ? body.ids : undefined;
  if (ids === undefined || ids === null || (Array.isArray(ids) && ids.length === 0) || ids === '') {
    throw detailError(400, 'ids is required');
  }
  if (!Array.isArray(ids)) throw detailError(400, 'ids must be a list');
  const { app } = ctx;
  // Ids of other projects, or that are no UUID, are ignored like unknown ones.
  const { count, keys } = app.db.transaction(() => {
    const removed = { count: 0, keys: [] as string[] };
    for (const value of new Set(ids.map((id) => (typeof id === 'string' ? parseUuid(id) : undefined)))) {
      const row = value === undefined ? undefined : app.symbolSets.get(ctx.projectId, value);
      if (!row) continue;
      removed.keys.push(...removeSymbolSetRow(app, ctx.projectId, row.id));
      removed.count += 1;
    }
    return removed;
  })();
  await dropUnusedObjects(app, keys);
  sendJson(ctx.res, 200, { deleted: count });
}

async function deleteSymbolSet(ctx: ApiContext): Promise<void> {
  const row = findSymbolSet(ctx);
  const keys = ctx.app.db.transaction(() => removeSymbolSetRow(ctx.app, ctx.projectId, row.id))();
  await dropUnusedObjects(ctx.app, keys);
  sendJson(ctx.res, 204, null);
}

/** The newest server ignores PUT/PATCH bodies (older ones re-uploaded files) and returns the row. */
async function updateSymbolSet(ctx: ApiContext): Promise<void> {
  const row = findSymbolSet(ctx);
  await discardBody(ctx.req, Number.POSITIVE_INFINITY);
  sendSymbolSet(ctx, row);
}

function download(ctx: ApiContext): void {
  const row = findSymbolSet(ctx);
  if (row.storage_ptr === null) throw detailError(404, 'Symbol set has no uploaded file.');
  const url = ctx.app.presigner.presignUrl('GET', ctx.url.origin, row.storage_ptr, DOWNLOAD_EXPIRY_SECONDS);
  sendJson(ctx.res, 200, { url });
}

export const symbolSetRoutes: ApiRoute[] = [
  {
    path: /^symbol_sets$/,
    methods: {
      GET: { scope: 'read', handle: listSymbolSets },
      POST: {
        scope: 'write',
        async handle(ctx) {
          await createSymbolSetLegacy(ctx.app, ctx.projectId, ctx.req, ctx.url);
          sendJson(ctx.res, 201, { ok: true });
        },
      },
    },
  },
  { path: /^symbol_sets\/bulk_delete$/, methods: { POST: { scope: 'write', handle: bulkDelete } } },
  {
    path: /^symbol_sets\/bulk_check_upload$/,
    methods: {
      POST: {
        scope: 'write',
        async handle(ctx) {
          const request = parseUploadRequest(await ctx.readJson());
          sendJson(ctx.res, 200, { chunk_ids_to_upload: checkUploads(ctx.app, ctx.projectId, request) });
        },
      },
    },
  },
  {
    path: /^symbol_sets\/bulk_start_upload$/,
    methods: {
      POST: {
        scope: 'write',
        async handle(ctx) {
          const request = parseUploadRequest(await ctx.readJson());
          const { idMap, staleKeys } = startUploads(ctx.app, ctx.projectId, request, ctx.url.origin);
          await dropUnusedObjects(ctx.app, staleKeys);
          await sweepExpiredUploads(ctx.app);
          sendJson(ctx.res, 201, { id_map: idMap });
        },
      },
    },
  },
  {
    path: /^symbol_sets\/bulk_finish_upload$/,
    methods: {
      POST: {
        scope: 'write',
        async handle(ctx) {
          await finishUploads(
            ctx.app,
            ctx.projectId,
            requireObject(await ctx.readJson(), 'non_field_errors'),
          );
          sendJson(ctx.res, 201, { success: true });
        },
      },
    },
  },
  {
    path: /^symbol_sets\/start_upload$/,
    methods: {
      POST: {
        scope: 'write',
        async handle(ctx) {
          sendJson(ctx.res, 201, await startUploadLegacy(ctx.app, ctx.projectId, ctx.url, ctx.url.origin));
        },
      },
    },
  },
  {
    path: /^symbol_sets\/([^/.]+)$/,
    methods: {
      GET: { scope: 'read', handle: (ctx) => sendSymbolSet(ctx, findSymbolSet(ctx)) },
      PUT: { scope: 'write', handle: updateSymbolSet },
      PATCH: { scope: 'write', handle: updateSymbolSet },
      DELETE: { scope: 'write', handle: deleteSymbolSet },
    },
  },
  { path: /^symbol_sets\/([^/.]+)\/download$/, methods: { GET: { scope: 'read', handle: download } } },
  {
    path: /^symbol_sets\/([^/.]+)\/finish_upload$/,
    methods: {
      PUT: {
        scope: 'write',
        async handle(ctx) {
          await finishUploadLegacy(ctx.app, ctx.projectId, ctx.params[0]!, await ctx.readJson());
          sendJson(ctx.res, 200, { success: true });
        },
      },
    },
  },
];
