// @ts-check
// One issue: the chosen (by default the latest) event's stack trace, original or as shipped, its
// properties, and the issue's other events.
import { fill, h } from './dom.js';
import { displaySource, releaseText, sparkline, timeAgo } from './format.js';
import { projectQuery, withParam } from './parts.js';

/** @type {Record<string, string>} */
const WHY = {
  no_chunk_id: 'no chunk id: the file was not built with hogmaps, or the SDK could not read its id',
  no_symbol_set: 'no symbol set: nothing was uploaded for this chunk id, or its upload has not finished',
  no_mapping: 'no mapping: the source map has nothing at this position',
  no_position: 'no line and column in the frame',
  not_javascript: 'not a JavaScript frame',
  symbol_set_error: 'the symbol set could not be used',
};

/** Which view of the frames is shown; kept while the page refreshes. */
let mode = /** @type {'original' | 'shipped'} */ ('original');

/** @param {any} frame */
function shippedLocation(frame) {
  const s = frame.shipped;
  return `${s.filename ?? '<unknown>'}${s.line !== null ? `:${s.line}` : ''}${s.column !== null ? `:${s.column}` : ''}`;
}

/** @param {{ pre: string[], line: string, post: string[] }} context @param {number} line */
function sourceContext(context, line) {
  const first = line - context.pre.length;
  const row = (/** @type {string} */ text, /** @type {number} */ n, /** @type {boolean} */ current) =>
    h(
      'div',
      { class: current ? 'src-line hl' : 'src-line', 'aria-current': current ? 'true' : false },
      h('span', { class: 'ln' }, String(n)),
      h('code', {}, text),
    );
  return h(
    'div',
    { class: 'context' },
    context.pre.map((text, i) => row(text, first + i, false)),
    row(context.line, line, true),
    context.post.map((text, i) => row(text, line + 1 + i, false)),
  );
}

/** @param {any} frame @param {boolean} open */
function originalFrame(frame, open) {
  if (!frame.resolved) {
    const why = frame.unresolved;
    return h(
      'li',
      { class: 'frame unresolved' },
      h(
        'div',
        { class: 'frame-head' },
        h('code', { class: 'fn' }, frame.shipped.function ?? '?'),
        h('span', { class: 'loc' }, shippedLocation(frame)),
        h('span', { class: 'badge warn' }, 'not resolved'),
      ),
      h(
        'p',
        { class: 'why' },
        WHY[why.kind] ?? why.kind,
        why.kind === 'no_symbol_set' && frame.shipped.chunk_id ? ` (chunk ${frame.shipped.chunk_id})` : '',
        why.detail && why.kind !== 'no_symbol_set' && why.kind !== 'no_chunk_id'
          ? h('span', { class: 'muted' }, ` — ${why.detail}`)
          : null,
      ),
    );
  }
  const r = frame.resolved;
  const head = h(
    'span',
    { class: 'frame-head' },
    h('code', { class: 'fn' }, r.function ?? frame.shipped.function ?? '?'),
    h('span', { class: 'loc' }, `${displaySource(r.source)}:${r.line}:${r.column}`),
    r.in_app ? null : h('span', { class: 'badge' }, 'library'),
  );
  if (!r.context) return h('li', { class: r.in_app ? 'frame' : 'frame library' }, h('div', {}, head));
  return h(
    'li',
    { class: r.in_app ? 'frame' : 'frame library' },
    h('details', { open }, h('summary', {}, head), sourceContext(r.context, r.line)),
  );
}

/** @param {any} frame */
function shippedFrame(frame) {
  return h(
    'li',
    { class: 'frame shipped' },
    h(
      'div',
      { class: 'frame-head' },
      h('code', { class: 'fn' }, frame.shipped.function ?? '?'),
      h('span', { class: 'loc' }, shippedLocation(frame)),
    ),
    h(
      'div',
      { class: 'chunk muted' },
      frame.shipped.chunk_id ? ['chunk id ', h('code', {}, frame.shipped.chunk_id)] : 'no chunk id',
    ),
  );
}

/** @param {any[]} frames */
function unresolvedSummary(frames) {
  const failed = frames.filter((f) => !f.resolved);
  if (failed.length === 0) return null;
  /** @type {Map<string, number>} */
  const kinds = new Map();
  for (const f of failed) kinds.set(f.unresolved.kind, (kinds.get(f.unresolved.kind) ?? 0) + 1);
  return h(
    'p',
    { class: 'notice' },
    `${failed.length} of ${frames.length} frames could not be resolved: `,
    [...kinds].map(([kind, n], i) => [i > 0 ? '; ' : '', `${WHY[kind]?.split(':')[0] ?? kind} (${n})`]),
    '.',
  );
}

/** @param {any} exception @param {number} index @param {number} total */
function stack(exception, index, total) {
  const frames = /** @type {any[]} */ (exception.frames);
  const topInApp = frames.findIndex((f) => f.resolved?.in_app && f.resolved.context);
  return h(
    'div',
    { class: 'exception' },
    total > 1
      ? h(
          'h3',
          {},
          `Exception ${index + 1} of ${total}: `,
          h('strong', {}, exception.type),
          `: ${exception.value}`,
        )
      : null,
    frames.length === 0 ? h('p', { class: 'muted' }, 'No stack trace.') : null,
    mode === 'original' ? unresolvedSummary(frames) : null,
    h(
      'ol',
      { class: `frames ${mode}` },
      frames.map((f, i) => (mode === 'original' ? originalFrame(f, i === topInApp) : shippedFrame(f))),
    ),
  );
}

/** @param {any} event @param {() => void} redraw */
function traceSection(event, redraw) {
  const button = (/** @type {'original' | 'shipped'} */ value, /** @type {string} */ label) =>
    h(
      'button',
      {
        type: 'button',
        'aria-pressed': String(mode === value),
        on: {
          click: () => {
            mode = value;
            redraw();
          },
        },
      },
      label,
    );
  return h(
    'section',
    { class: 'trace' },
    h(
      'div',
      { class: 'section-head' },
      h('h2', {}, 'Stack trace'),
      h(
        'div',
        { class: 'toggle', role: 'group', 'aria-label': 'Frames' },
        button('original', 'Original'),
        button('shipped', 'As shipped'),
      ),
    ),
    event.exceptions.map((/** @type {any} */ e, /** @type {number} */ i) =>
      stack(e, i, event.exceptions.length),
    ),
  );
}

/** @param {any} event */
function propertiesSection(event) {
  const p = event.properties;
  /** @type {[string, unknown][]} */
  const rows = [
    ['URL', event.url],
    ['Runtime', event.runtime],
    ['Release', event.release ? `${event.release.label}` : null],
    ['$release_id', event.release_id],
    [
      'Handled',
      event.handled === null ? null : event.handled ? 'yes (captured by the app)' : 'no (uncaught)',
    ],
    ['Distinct id', event.distinct_id],
    ['Library', p.$lib ? `${p.$lib} ${p.$lib_version ?? ''}` : null],
    ['OS', p.$os ? `${p.$os} ${p.$os_version ?? ''}` : null],
    ['Time', event.timestamp],
    ['Received', event.received_at],
  ];
  return h(
    'section',
    { class: 'properties' },
    h('h2', {}, 'Event'),
    h(
      'dl',
      {},
      rows
        .filter(([, value]) => value !== null && value !== undefined && value !== '')
        .map(([name, value]) => [h('dt', {}, name), h('dd', {}, String(value))]),
    ),
    h(
      'details',
      {},
      h('summary', {}, 'All properties'),
      h('pre', { class: 'json' }, JSON.stringify(p, null, 2)),
    ),
  );
}

/** @param {any} data @param {URLSearchParams} params */
function eventsSection(data, params) {
  return h(
    'section',
    { class: 'events' },
    h('h2', {}, `Events (${data.issue.count})`),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'When'),
          h('th', {}, 'Message'),
          h('th', {}, 'URL'),
          h('th', {}, 'Release'),
          h('th', {}, 'Runtime'),
        ),
      ),
      h(
        'tbody',
        {},
        data.events.map((/** @type {any} */ e) =>
          h(
            'tr',
            { class: e.id === data.event.id ? 'current' : null },
            h(
              'td',
              { 'data-label': 'When' },
              h('a', { href: `?${withParam(params, 'event', e.id)}` }, timeAgo(e.timestamp)),
            ),
            h('td', { 'data-label': 'Message' }, e.message),
            h('td', { 'data-label': 'URL', class: 'path' }, e.url ?? '—'),
            h('td', { 'data-label': 'Release' }, releaseText(e.release, '—')),
            h('td', { 'data-label': 'Runtime' }, e.runtime ?? '—'),
          ),
        ),
      ),
    ),
    data.issue.count > data.events.length
      ? h('p', { class: 'muted' }, `The ${data.events.length} newest are shown.`)
      : null,
  );
}

/** @param {import('./app.js').PageContext} page */
export async function renderIssue(page) {
  const id = location.pathname.split('/')[2] ?? '';
  const data = await page.load(`issues/${id}`, page.params);
  const { issue, event } = data;
  const draw = () => {
    fill(
      page.main,
      h('a', { class: 'back', href: `/${projectQuery(page.params)}` }, '← Issues'),
      h(
        'h1',
        { class: 'issue-heading' },
        h('span', { class: 'type' }, issue.type),
        issue.message ? `: ${issue.message}` : '',
      ),
      h(
        'div',
        { class: 'facts' },
        h(
          'div',
          {},
          h('span', { class: 'count', id: 'issue-count' }, String(issue.count)),
          issue.count === 1 ? ' event' : ' events',
        ),
        h('div', {}, 'first seen ', timeAgo(issue.first_seen)),
        h('div', {}, 'last seen ', timeAgo(issue.last_seen)),
        h('div', {}, releaseText(issue.release)),
        issue.environment ? h('div', {}, issue.environment) : null,
        sparkline(issue.daily),
      ),
      issue.pending_chunk
        ? h(
            'p',
            { class: 'notice' },
            `Grouped by a shipped frame: no symbol set for chunk ${issue.pending_chunk} yet. Once it is uploaded, these events move to their final issue.`,
          )
        : null,
      traceSection(event, draw),
      propertiesSection(event),
      eventsSection(data, page.params),
    );
  };
  draw();
}
