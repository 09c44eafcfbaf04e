// @ts-check
// The inbox's entry: picks the page the server named in <body data-page>, loads its data from
// /inbox/api/ and keeps it current through the server's change stream.
import { fill, h } from './dom.js';
import { renderIssue } from './issue-page.js';
import { renderIssues } from './issues-page.js';
import { renderReleases } from './releases-page.js';
import { renderSymbolSets } from './symbol-sets-page.js';

/**
 * @typedef {{ id: number, name: string }} ProjectRef
 * @typedef {{ project: ProjectRef & { token: string }, projects: ProjectRef[], login: boolean }} Context
 * @typedef {{ main: HTMLElement, params: URLSearchParams, load: (path: string, params?: URLSearchParams) => Promise<any>, navigate: (params: URLSearchParams) => void }} PageContext
 */

/** Thrown when the API answers with an error; the page shows its detail. */
class ApiError extends Error {}

/**
 * GET /inbox/api/<path>; a lost session goes back to the login form.
 * @param {string} path
 * @param {URLSearchParams} [params]
 */
async function load(path, params = new URLSearchParams()) {
  const query = params.toString();
  const response = await fetch(`/inbox/api/${path}${query ? `?${query}` : ''}`, {
    headers: { accept: 'application/json' },
    credentials: 'same-origin',
  });
  if (response.status === 401) {
    location.assign(`/inbox/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    throw new ApiError('Logged out');
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(body.detail ?? `The server answered ${response.status}.`);
  return body;
}

/**
 * Calls `refresh` whenever the server's data changes; never two refreshes at once, and one more
 * after a change that arrived during a refresh.
 * @param {() => Promise<void>} refresh
 */
function followChanges(refresh) {
  const live = /** @type {HTMLElement} */ (document.getElementById('live'));
  let running = false;
  let again = false;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await refresh();
      } while (again);
    } finally {
      running = false;
    }
  };
  const project = new URLSearchParams(location.search).get('project');
  const events = new EventSource(
    `/inbox/api/stream${project ? `?project=${encodeURIComponent(project)}` : ''}`,
  );
  const show = (/** @type {string} */ state, /** @type {string} */ text) => {
    live.hidden = false;
    live.dataset.state = state;
    live.textContent = text;
  };
  events.addEventListener('ready', () => show('live', 'Live'));
  events.addEventListener('change', () => void run().catch(() => {}));
  events.addEventListener('error', () =>
    show('off', events.readyState === EventSource.CLOSED ? 'Not updating (reload)' : 'Reconnecting…'),
  );
}

const PAGES = {
  issues: renderIssues,
  issue: renderIssue,
  releases: renderReleases,
  'symbol-sets': renderSymbolSets,
};

async function start() {
  const main = /** @type {HTMLElement} */ (document.getElementById('main'));
  const name = /** @type {keyof typeof PAGES} */ (document.body.dataset.page);
  const render = PAGES[name];
  /** @type {PageContext} */
  const page = {
    main,
    params: new URLSearchParams(location.search),
    load,
    navigate(params) {
      const query = params.toString();
      history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}`);
    },
  };
  const show = async () => {
    try {
      await render(page);
    } catch (error) {
      if (error instanceof ApiError && error.message === 'Logged out') return;
      fill(
        main,
        h('p', { class: 'notice error', role: 'alert' }, String(/** @type {Error} */ (error).message)),
      );
    }
  };
  await show();
  followChanges(show);
}

void start();
