import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Two releases of one app (issue 12): an entry that loads two routes with import(), sharing a module.
 * Release B changes route A only.
 */
export const releasesScenario = {
  root: path.dirname(fileURLToPath(import.meta.url)),
  entries: { main: 'src/main.js' },
  /** With a second entry that imports the shared module statically. */
  twoEntries: { main: 'src/main.js', other: 'src/other.js' },
  /** Text only the entry holds, and each route's. */
  markers: {
    main: 'releases-main',
    routeA: 'releases-boom-a',
    routeB: 'releases-boom-b',
    shared: 'releases-boom-shared',
  },
  edit: { file: 'src/route-a.js', from: 'A_REVISION = 1', to: 'A_REVISION = 2' },
  /** A comment edit: the built code stays the same, its map (sourcesContent) does not. */
  mapOnlyEdit: {
    file: 'src/shared.js',
    from: '// Used by both routes',
    to: '// Used by both routes (built elsewhere)',
  },
} as const;
