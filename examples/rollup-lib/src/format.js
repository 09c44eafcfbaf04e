/**
 * 5400000 → "1 hours 30 minutes" (labels from a lazily loaded locale table).
 * @param {number} ms
 * @param {'en' | 'fr'} locale
 */
export async function formatDuration(ms, locale = 'en') {
  const { labels } = locale === 'fr' ? await import('./locales/fr.js') : await import('./locales/en.js');
  const parts = [];
  let rest = ms;
  for (const [unit, size] of [
    ['hour', 3_600_000],
    ['minute', 60_000],
    ['second', 1000],
  ]) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(`${count} ${labels[unit]}`);
  }
  return parts.join(' ') || `0 ${labels.second}`;
}
