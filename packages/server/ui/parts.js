// @ts-check
// Pieces several pages share.
import { h } from './dom.js';

/**
 * A project switcher, shown only when the viewer may read more than one project.
 * @param {{ project: { id: number }, projects: { id: number, name: string }[] }} data
 */
export function projectPicker(data) {
  if (data.projects.length < 2) return null;
  return h(
    'label',
    { class: 'field' },
    'Project ',
    h(
      'select',
      {
        on: {
          change: (/** @type {Event} */ event) => {
            const next = new URLSearchParams();
            next.set('project', /** @type {HTMLSelectElement} */ (event.target).value);
            location.assign(`${location.pathname}?${next}`);
          },
        },
      },
      data.projects.map((p) =>
        h('option', { value: p.id, selected: p.id === data.project.id }, `${p.name} (${p.id})`),
      ),
    ),
  );
}

/**
 * The current query string with one parameter changed (removed when empty), for links.
 * @param {URLSearchParams} params
 * @param {string} name
 * @param {string | number | null} value
 */
export function withParam(params, name, value) {
  const next = new URLSearchParams(params);
  if (value === null || value === '') next.delete(name);
  else next.set(name, String(value));
  return next;
}

/**
 * The `?project=` of the page, for links to other pages of the same project.
 * @param {URLSearchParams} params
 */
export function projectQuery(params) {
  const project = params.get('project');
  return project ? `?project=${encodeURIComponent(project)}` : '';
}

/**
 * "Newer / older" links for a paged list.
 * @param {URLSearchParams} params
 * @param {{ count: number, offset: number, shown: number, limit: number }} page
 */
export function pager(params, page) {
  if (page.count <= page.limit && page.offset === 0) return null;
  const prev = Math.max(0, page.offset - page.limit);
  const next = page.offset + page.limit;
  return h(
    'nav',
    { class: 'pager', 'aria-label': 'Pages' },
    page.offset > 0 ? h('a', { href: `?${withParam(params, 'offset', prev || null)}` }, '← Newer') : null,
    h('span', { class: 'muted' }, `${page.offset + 1}–${page.offset + page.shown} of ${page.count}`),
    next < page.count ? h('a', { href: `?${withParam(params, 'offset', next)}` }, 'Older →') : null,
  );
}
