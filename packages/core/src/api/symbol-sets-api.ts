import { type ApiContext, unexpectedResponse } from './api-context';
import { presignedPostBody } from './multipart';
import type {
  BulkCheckUploadRequest,
  BulkCheckUploadResponse,
  BulkDeleteResponse,
  BulkFinishUploadRequest,
  BulkStartUploadRequest,
  BulkStartUploadResponse,
  DownloadResponse,
  JsonObject,
  LegacyBulkStartUploadRequest,
  Page,
  StartUploadResponse,
  SuccessResponse,
  SymbolSetJson,
  SymbolSetListQuery,
} from './protocol';

export interface SymbolSetsApi {
  /** Every symbol set matching the query, fetching pages as the loop advances. */
  list(query?: SymbolSetListQuery, signal?: AbortSignal): AsyncGenerator<SymbolSetJson, void, undefined>;
  listPage(query?: SymbolSetListQuery, signal?: AbortSignal): Promise<Page<SymbolSetJson>>;
  get(id: string, signal?: AbortSignal): Promise<SymbolSetJson>;
  /** PUT. The newest server ignores the body and returns the set unchanged (older ones: 204). */
  update(id: string, body?: JsonObject, signal?: AbortSignal): Promise<SymbolSetJson | undefined>;
  partialUpdate(id: string, body?: JsonObject, signal?: AbortSignal): Promise<SymbolSetJson | undefined>;
  delete(id: string, signal?: AbortSignal): Promise<void>;
  /** Returns how many were deleted (other teams' ids are ignored by the server). */
  bulkDelete(ids: string[], signal?: AbortSignal): Promise<number>;
  /** The presigned GET URL of the stored container (valid 1 h). */
  download(id: string, signal?: AbortSignal): Promise<string>;
  /** The stored container bytes, fetched from the presigned GET URL (no API key sent there). */
  downloadBytes(id: string, signal?: AbortSignal): Promise<Uint8Array>;
  bulkCheckUpload(body: BulkCheckUploadRequest, signal?: AbortSignal): Promise<BulkCheckUploadResponse>;
  bulkStartUpload(
    body: BulkStartUploadRequest | LegacyBulkStartUploadRequest,
    signal?: AbortSignal,
  ): Promise<BulkStartUploadResponse>;
  bulkFinishUpload(body: BulkFinishUploadRequest, signal?: AbortSignal): Promise<SuccessResponse>;
  /** Deprecated single-chunk flow: `POST start_upload?chunk_id=&release_id=`. */
  startUpload(
    init: { chunkId: string; releaseId?: string | null },
    signal?: AbortSignal,
  ): Promise<StartUploadResponse>;
  /** Deprecated single-chunk flow: `PUT :id/finish_upload {content_hash}`. */
  finishUpload(id: string, contentHash: string, signal?: AbortSignal): Promise<SuccessResponse>;
  /**
   * Deprecated direct create: the server stores the bytes itself. `multipart` (default) sends a
   * form part `file`; otherwise the raw body as the oldest CLI did.
   */
  createDirect(
    init: { chunkId: string; releaseId?: string | null; bytes: Uint8Array; multipart?: boolean },
    signal?: AbortSignal,
  ): Promise<void>;
}

export function createSymbolSetsApi(api: ApiContext): SymbolSetsApi {
  const { paths } = api;

  async function post<T>(
    path: string,
    json: unknown,
    signal: AbortSignal | undefined,
  ): Promise<T | undefined> {
    return (await api.call<T>('POST', path, { json, signal })).data;
  }

  function symbolSet(method: string, path: string, data: SymbolSetJson | undefined): SymbolSetJson {
    if (!data || typeof data.id !== 'string')
      throw unexpectedResponse(method, api.url(path), 'expected a symbol set');
    return data;
  }

  async function download(id: string, signal?: AbortSignal): Promise<string> {
    const path = paths.download(id);
    const { data } = await api.call<DownloadResponse>('GET', path, { signal });
    if (typeof data?.url !== 'string') throw unexpectedResponse('GET', api.url(path), 'expected {"url": …}');
    return data.url;
  }

  return {
    list: (query, signal) => api.iterate<SymbolSetJson>(paths.symbolSets(), { ...query }, signal),
    listPage: (query, signal) => api.page<SymbolSetJson>(paths.symbolSets(), { ...query }, signal),
    async get(id, signal) {
      const path = paths.symbolSet(id);
      return symbolSet('GET', path, (await api.call<SymbolSetJson>('GET', path, { signal })).data);
    },
    async update(id, body = {}, signal) {
      return (await api.call<SymbolSetJson>('PUT', paths.symbolSet(id), { json: body, signal })).data;
    },
    async partialUpdate(id, body = {}, signal) {
      return (await api.call<SymbolSetJson>('PATCH', paths.symbolSet(id), { json: body, signal })).data;
    },
    async delete(id, signal) {
      await api.call('DELETE', paths.symbolSet(id), { signal });
    },
    async bulkDelete(ids, signal) {
      const data = await post<BulkDeleteResponse>(paths.bulkDelete(), { ids }, signal);
      if (typeof data?.deleted !== 'number') {
        throw unexpectedResponse('POST', api.url(paths.bulkDelete()), 'expected {"deleted": n}');
      }
      return data.deleted;
    },
    download,
    async downloadBytes(id, signal) {
      const url = new URL(await download(id, signal), `${api.base}/`);
      const response = await api.http.request({
        method: 'GET',
        url,
        headers: { 'user-agent': api.userAgent },
        signal,
      });
      return new Uint8Array(response.body.buffer, response.body.byteOffset, response.body.byteLength);
    },
    async bulkCheckUpload(body, signal) {
      const data = await post<BulkCheckUploadResponse>(paths.bulkCheckUpload(), body, signal);
      if (!Array.isArray(data?.chunk_ids_to_upload)) {
        throw unexpectedResponse('POST', api.url(paths.bulkCheckUpload()), 'expected `chunk_ids_to_upload`');
      }
      return data;
    },
    async bulkStartUpload(body, signal) {
      const data = await post<BulkStartUploadResponse>(paths.bulkStartUpload(), body, signal);
      if (!data || typeof data.id_map !== 'object' || data.id_map === null) {
        throw unexpectedResponse('POST', api.url(paths.bulkStartUpload()), 'expected `id_map`');
      }
      return data;
    },
    async bulkFinishUpload(body, signal) {
      return (await post<SuccessResponse>(paths.bulkFinishUpload(), body, signal)) ?? { success: true };
    },
    async startUpload({ chunkId, releaseId }, signal) {
      const path = paths.startUpload();
      const query = { chunk_id: chunkId, release_id: releaseId };
      const { data } = await api.call<StartUploadResponse>('POST', path, { query, signal });
      if (!data?.presigned_url || typeof data.symbol_set_id !== 'string') {
        throw unexpectedResponse('POST', api.url(path), 'expected `presigned_url` and `symbol_set_id`');
      }
      return data;
    },
    async finishUpload(id, contentHash, signal) {
      const { data } = await api.call<SuccessResponse>('PUT', paths.finishUpload(id), {
        json: { content_hash: contentHash },
        signal,
      });
      return data ?? { success: true };
    },
    async createDirect({ chunkId, releaseId, bytes, multipart = true }, signal) {
      const query = { chunk_id: chunkId, release_id: releaseId, multipart: multipart ? 'true' : undefined };
      const form = multipart ? presignedPostBody({}, bytes) : undefined;
      const headers: Record<string, string> = form
        ? { 'content-type': form.contentType, 'content-length': String(form.length) }
        : {
            'content-type': 'application/octet-stream',
            'content-disposition': "attachment; filename='chunk'",
          };
      await api.http.request({
        method: 'POST',
        url: api.url(paths.createSymbolSet(), query),
        headers: { ...api.apiHeaders, ...headers },
        body: form ? form.body : () => bytes,
        signal,
      });
    },
  };
}
