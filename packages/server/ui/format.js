// @ts-check
import { h, svg } from './dom.js';

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const STEPS = /** @type {const} */ ([
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
]);

/**
 * "3 minutes ago", with the exact time as a tooltip.
 * @param {string | null | undefined} iso
 */
export function timeAgo(iso) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  const date = new Date(iso);
  let value = (date.getTime() - Date.now()) / 1000;
  let unit = 'second';
  for (const [name, size] of STEPS) {
    unit = name;
    if (Math.abs(value) < size) break;
    value /= size;
  }
  const text =
    Math.abs(value) < 10 && unit === 'second'
      ? 'just now'
      : relative.format(Math.round(value), /** @type {Intl.RelativeTimeFormatUnit} */ (unit));
  return h('time', { datetime: iso, title: absolute.format(date) }, text);
}

/** @param {number | null | undefined} bytes */
export function formatBytes(bytes) {
  if (bytes === null || bytes === undefined) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * Events per day as bars (one per day, oldest first), with the numbers in its label.
 * @param {{ day: string, count: number }[]} days
 */
export function sparkline(days) {
  const max = Math.max(1, ...days.map((d) => d.count));
  const width = 4;
  const gap = 2;
  const height = 24;
  const label = `Events per day (UTC), ${days[0]?.day} to ${days.at(-1)?.day}: ${days.map((d) => d.count).join(', ')}`;
  return svg(
    'svg',
    {
      class: 'spark',
      viewBox: `0 0 ${days.length * (width + gap)} ${height}`,
      role: 'img',
      'aria-label': label,
    },
    svg('title', {}, label),
    days.map((d, i) => {
      const barHeight = d.count === 0 ? 1 : Math.max(3, Math.round((d.count / max) * height));
      return svg('rect', {
        x: i * (width + gap),
        y: height - barHeight,
        width,
        height: barHeight,
        class: d.count === 0 ? 'zero' : 'bar',
      });
    }),
  );
}

/**
 * `webpack://@acme/app/./src/x.ts` or `../src/x.ts` as a shorter path.
 * @param {string} source
 */
export function displaySource(source) {
  return source.replace(/^webpack:\/\/(@[^/]+\/)?[^/]*\//, '').replace(/^(\.{1,2}\/)+/, '');
}

/**
 * A release label (`name@version`) with a commit-SHA version shortened to 12 digits, the full
 * label as its tooltip.
 * @param {{ label: string } | null | undefined} release
 * @param {string} [none]
 */
export function releaseText(release, none = 'no release') {
  if (!release) return h('span', { class: 'muted' }, none);
  const short = release.label.replace(/@([0-9a-f]{12})[0-9a-f]{28}$/, '@$1');
  return h('span', { class: 'release', title: release.label }, short);
}
