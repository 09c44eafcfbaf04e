import { type ApiContext, unexpectedResponse } from './api-context';
import type { CreateReleaseRequest, Page, PageQuery, ReleaseJson, UpdateReleaseRequest } from './protocol';

export interface ReleasesApi {
  /** Every release, newest first, fetching pages as the loop advances. */
  list(query?: PageQuery, signal?: AbortSignal): AsyncGenerator<ReleaseJson, void, undefined>;
  listPage(query?: PageQuery, signal?: AbortSignal): Promise<Page<ReleaseJson>>;
  get(id: string, signal?: AbortSignal): Promise<ReleaseJson>;
  /** `GET releases/hash/:hash_id`; undefined when no release has that hash (404). */
  getByHash(hashId: string, signal?: AbortSignal): Promise<ReleaseJson | undefined>;
  create(body: CreateReleaseRequest, signal?: AbortSignal): Promise<ReleaseJson>;
  /** PUT: PostHog answers 204 (its `{"ok": true}` body is ignored). */
  update(id: string, body: UpdateReleaseRequest, signal?: AbortSignal): Promise<void>;
  /** PATCH: only the truthy fields change. */
  partialUpdate(id: string, body: UpdateReleaseRequest, signal?: AbortSignal): Promise<void>;
  delete(id: string, signal?: AbortSignal): Promise<void>;
}

function release(api: ApiContext, method: string, path: string, data: ReleaseJson | undefined): ReleaseJson {
  if (!data || typeof data.id !== 'string') {
    throw unexpectedResponse(method, api.url(path), 'expected a release with an `id`');
  }
  return data;
}

export function createReleasesApi(api: ApiContext): ReleasesApi {
  const { paths } = api;
  return {
    list: (query, signal) => api.iterate<ReleaseJson>(paths.releases(), { ...query }, signal),
    listPage: (query, signal) => api.page<ReleaseJson>(paths.releases(), { ...query }, signal),
    async get(id, signal) {
      const path = paths.release(id);
      return release(api, 'GET', path, (await api.call<ReleaseJson>('GET', path, { signal })).data);
    },
    async getByHash(hashId, signal) {
      const path = paths.releaseByHash(hashId);
      const { status, data } = await api.call<ReleaseJson>('GET', path, { allow: [404], signal });
      return status === 404 ? undefined : release(api, 'GET', path, data);
    },
    async create(body, signal) {
      const path = paths.createRelease();
      return release(
        api,
        'POST',
        path,
        (await api.call<ReleaseJson>('POST', path, { json: body, signal })).data,
      );
    },
    async update(id, body, signal) {
      await api.call('PUT', paths.release(id), { json: body, signal });
    },
    async partialUpdate(id, body, signal) {
      await api.call('PATCH', paths.release(id), { json: body, signal });
    },
    async delete(id, signal) {
      await api.call('DELETE', paths.release(id), { signal });
    },
  };
}
