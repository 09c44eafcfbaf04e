// @ts-check
// Symbol sets: every upload, newest first, so a glance tells whether the last build's arrived.
import { fill, h } from './dom.js';
import { formatBytes, releaseText, timeAgo } from './format.js';
import { pager, projectPicker, withParam } from './parts.js';

/** @type {Record<string, string>} */
const STATUS = { finished: 'finished', pending: 'pending (upload not finished)', failed: 'failed' };

/** @param {any} set */
function row(set) {
  return h(
    'tr',
    { 'data-chunk': set.chunk_id },
    h('td', { 'data-label': 'Chunk id' }, h('code', {}, set.chunk_id)),
    h('td', { 'data-label': 'Release' }, releaseText(set.release, 'unbound')),
    h('td', { 'data-label': 'Size' }, formatBytes(set.size)),
    h('td', { 'data-label': 'Uploaded' }, timeAgo(set.created_at)),
    h(
      'td',
      { 'data-label': 'Status' },
      h(
        'span',
        { class: `badge ${set.status === 'finished' ? 'ok' : 'warn'}` },
        STATUS[set.status] ?? set.status,
      ),
      set.failure_reason ? h('span', { class: 'muted' }, ` ${set.failure_reason}`) : null,
    ),
    h('td', { 'data-label': 'Last used' }, timeAgo(set.last_used)),
  );
}

/** @param {import('./app.js').PageContext} page */
export async function renderSymbolSets(page) {
  const data = await page.load('symbol-sets', page.params);
  const counts = data.status_counts;
  fill(
    page.main,
    h('div', { class: 'toolbar' }, h('h1', {}, 'Symbol sets'), projectPicker(data)),
    h(
      'p',
      { class: 'summary' },
      data.release ? ['Release ', h('strong', {}, data.release.label), ': '] : null,
      `${counts.total} symbol sets: ${counts.finished} finished, ${counts.pending} pending, ${counts.failed} failed.`,
      data.release
        ? [
            ' ',
            h(
              'a',
              { href: `?${withParam(withParam(page.params, 'release', null), 'offset', null)}` },
              'Show all',
            ),
          ]
        : null,
    ),
    data.count === 0
      ? h('p', { class: 'notice' }, 'Nothing uploaded yet.')
      : h(
          'table',
          { class: 'symbol-sets' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Chunk id', 'Release', 'Size', 'Uploaded', 'Status', 'Last used'].map((t) => h('th', {}, t)),
            ),
          ),
          h('tbody', {}, data.results.map(row)),
        ),
    pager(page.params, {
      count: data.count,
      offset: data.offset,
      shown: data.results.length,
      limit: data.limit,
    }),
  );
}
