// @ts-check
// Releases: what each build registered (git commit and branch), its symbol sets and exceptions.
import { fill, h } from './dom.js';
import { releaseText, timeAgo } from './format.js';
import { projectPicker, withParam } from './parts.js';

/** @param {any} release @param {URLSearchParams} params */
function row(release, params) {
  const git = release.git;
  const sets = release.symbol_sets;
  const setsText = sets.total === 0 ? 'none bound' : `${sets.finished} of ${sets.total} finished`;
  return h(
    'tr',
    { 'data-release': release.id },
    h('td', { 'data-label': 'Release' }, h('strong', {}, releaseText(release))),
    h('td', { 'data-label': 'Created' }, timeAgo(release.created_at)),
    h(
      'td',
      { 'data-label': 'Commit' },
      git.commit ? h('code', { title: git.commit }, git.commit.slice(0, 12)) : '—',
    ),
    h('td', { 'data-label': 'Branch' }, git.branch ?? '—'),
    h('td', { 'data-label': 'Repository', class: 'path' }, git.remote_url ?? git.repo ?? '—'),
    h(
      'td',
      { 'data-label': 'Symbol sets' },
      h('a', { href: `/symbol-sets?${withParam(params, 'release', release.id)}` }, setsText),
    ),
    h(
      'td',
      { 'data-label': 'Exceptions' },
      release.exceptions > 0
        ? h('a', { href: `/?${withParam(params, 'release', release.id)}` }, String(release.exceptions))
        : '0',
    ),
  );
}

/** @param {import('./app.js').PageContext} page */
export async function renderReleases(page) {
  const data = await page.load('releases', page.params);
  const params = new URLSearchParams();
  if (page.params.get('project')) params.set('project', /** @type {string} */ (page.params.get('project')));
  fill(
    page.main,
    h('div', { class: 'toolbar' }, h('h1', {}, 'Releases'), projectPicker(data)),
    h(
      'p',
      { class: 'muted' },
      'A build registers its release here. In event mode (the default) symbol sets are not bound to a release: the ',
      h('a', { href: `/symbol-sets?${withParam(params, 'release', null)}` }, 'symbol sets'),
      ' page shows every upload, newest first.',
    ),
    data.count === 0
      ? h('p', { class: 'notice' }, 'No release yet: build with a hogmaps plugin pointed at this server.')
      : h(
          'table',
          { class: 'releases' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Release', 'Created', 'Commit', 'Branch', 'Repository', 'Symbol sets', 'Exceptions'].map((t) =>
                h('th', {}, t),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            data.results.map((/** @type {any} */ r) => row(r, params)),
          ),
        ),
  );
}
