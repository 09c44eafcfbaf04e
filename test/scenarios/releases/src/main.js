// The entry: two routes loaded with import(), both using shared.js.
export const MAIN_MARKER = 'releases-main';

globalThis.hogmapsReleases = {
  marker: MAIN_MARKER,
  routeA: () => import('./route-a.js'),
  routeB: () => import('./route-b.js'),
};
