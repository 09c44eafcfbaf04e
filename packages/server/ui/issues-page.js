// @ts-check
// The issues list: exceptions grouped by fingerprint, newest first, with search and a release filter.
import { fill, h } from './dom.js';
import { displaySource, releaseText, sparkline, timeAgo } from './format.js';
import { pager, projectPicker, withParam } from './parts.js';

const PAGE_SIZE = 50;

/** @type {{ results: HTMLElement, picker: HTMLElement, release: HTMLSelectElement, search: HTMLInputElement } | undefined} */
let view;
let latestRequest = 0;

/**
 * @param {import('./app.js').PageContext} page
 */
function skeleton(page) {
  let timer = 0;
  const rerender = () => void renderIssues(page).catch(() => {});
  const search = h('input', {
    type: 'search',
    name: 'q',
    placeholder: 'Search type, message, function or file',
    value: page.params.get('q') ?? '',
    'aria-label': 'Search issues',
    on: {
      input: () => {
        clearTimeout(timer);
        timer = window.setTimeout(() => {
          page.params = withParam(withParam(page.params, 'q', search.value.trim()), 'offset', null);
          page.navigate(page.params);
          rerender();
        }, 250);
      },
    },
  });
  const release = h('select', {
    name: 'release',
    'aria-label': 'Release',
    on: {
      change: () => {
        page.params = withParam(withParam(page.params, 'release', release.value), 'offset', null);
        page.navigate(page.params);
        rerender();
      },
    },
  });
  const picker = h('span');
  const results = h('div', { id: 'issues', 'aria-live': 'polite' });
  fill(
    page.main,
    h(
      'div',
      { class: 'toolbar' },
      h('h1', {}, 'Issues'),
      search,
      h('label', { class: 'field' }, 'Release ', release),
      picker,
    ),
    results,
  );
  return { results, picker, release, search };
}

/**
 * @param {HTMLSelectElement} select
 * @param {{ id: string, label: string }[]} releases
 * @param {string} current
 */
function fillReleases(select, releases, current) {
  fill(
    select,
    h('option', { value: '' }, 'All releases'),
    releases.map((r) => h('option', { value: r.id, selected: r.id === current }, r.label)),
  );
  if (current && !releases.some((r) => r.id === current)) {
    select.append(h('option', { value: current, selected: true }, 'unknown release'));
  }
}

/** @param {any} issue @param {URLSearchParams} params */
function issueItem(issue, params) {
  const project = params.get('project');
  const href = `/issues/${issue.id}${project ? `?project=${encodeURIComponent(project)}` : ''}`;
  const frame = issue.frame;
  return h(
    'li',
    { class: 'issue', 'data-issue': issue.id },
    h(
      'div',
      { class: 'issue-main' },
      h(
        'a',
        { class: 'issue-title', href },
        h('strong', {}, issue.type),
        issue.message ? `: ${issue.message}` : '',
      ),
      frame
        ? h(
            'div',
            { class: 'issue-frame' },
            h('code', {}, frame.name),
            ' in ',
            h(
              'span',
              { class: 'path' },
              `${frame.resolved ? displaySource(frame.file) : frame.file}${frame.line ? `:${frame.line}` : ''}`,
            ),
            issue.pending_chunk
              ? h(
                  'span',
                  {
                    class: 'badge warn',
                    title: `No symbol set for chunk ${issue.pending_chunk} yet: grouped by the shipped frame until it arrives`,
                  },
                  'waiting for symbol set',
                )
              : frame.resolved
                ? null
                : h('span', { class: 'badge' }, 'not symbolicated'),
          )
        : null,
      h(
        'div',
        { class: 'issue-meta muted' },
        releaseText(issue.release),
        issue.environment ? h('span', {}, issue.environment) : null,
        issue.runtime ? h('span', {}, issue.runtime) : null,
      ),
    ),
    h(
      'div',
      { class: 'issue-stats' },
      h('span', { class: 'count', title: 'events' }, String(issue.count)),
      h(
        'span',
        { class: 'seen muted' },
        'last ',
        timeAgo(issue.last_seen),
        h('br'),
        'first ',
        timeAgo(issue.first_seen),
      ),
      sparkline(issue.daily),
    ),
  );
}

/** @param {any} data */
function emptyState(data) {
  const origin = location.origin;
  return h(
    'div',
    { class: 'empty' },
    h('h2', {}, 'No exceptions yet'),
    h('p', {}, 'Send exceptions to this server and they appear here without a reload.'),
    h('p', {}, 'posthog-js in the browser:'),
    h('pre', {}, `posthog.init('${data.project.token}', { api_host: '${origin}' })`),
    h('p', {}, 'posthog-node:'),
    h('pre', {}, `new PostHog('${data.project.token}', { host: '${origin}' })`),
    h(
      'p',
      {},
      'Build with a hogmaps plugin pointed at this server so the frames resolve (see ',
      h('a', { href: '/symbol-sets' }, 'Symbol sets'),
      ').',
    ),
  );
}

/** @param {import('./app.js').PageContext} page */
export async function renderIssues(page) {
  view ??= skeleton(page);
  const request = ++latestRequest;
  const data = await page.load('issues', withParam(page.params, 'limit', PAGE_SIZE));
  if (request !== latestRequest) return; // a newer search answered first
  fillReleases(view.release, data.releases, page.params.get('release') ?? '');
  fill(view.picker, projectPicker(data) ?? '');
  const filtered = Boolean(page.params.get('q') || page.params.get('release'));
  fill(
    view.results,
    data.count === 0
      ? filtered
        ? h('p', { class: 'notice' }, 'No issue matches.')
        : emptyState(data)
      : h(
          'ol',
          { class: 'issues' },
          data.results.map((/** @type {any} */ issue) => issueItem(issue, page.params)),
        ),
    pager(page.params, {
      count: data.count,
      offset: data.offset,
      shown: data.results.length,
      limit: PAGE_SIZE,
    }),
  );
}
