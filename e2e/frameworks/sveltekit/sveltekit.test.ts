import * as path from 'node:path';
import { expect, it } from 'vitest';
import { EXAMPLES_DIR, lineOf } from '../../test/harness/examples';
import { describeFrameworkApp, framesOf, throwOnServer } from '../harness';

/**
 * examples/sveltekit-app (SvelteKit 3, Vite's environment API, adapter-node) with @hogmaps/vite: built
 * on Node 24 against the local server, served by adapter-node on 127.0.0.1, a click handler in a
 * `.svelte` page throwing in headless Chromium (posthog-js), a server route reporting its own error and a
 * `.svelte` page throwing while it renders on the server (posthog-node).
 */

const APP = path.join(EXAMPLES_DIR, 'sveltekit-app');
const SSR_THROW = 'sveltekit invoice: bad order number';

/**
 * Files SvelteKit and adapter-node write after Vite's builds: re-exports, the route manifest, the route
 * nodes' import lists and the server wrapper. Generated glue, not minified, with no code of the app's
 * and no map; hogmaps never sees them, so they carry no snippet.
 */
const GLUE =
  /^(?:index|handler|adapter-node)\.js$|^server\/(?:manifest(?:-full)?|server)\.js$|^server\/nodes\/\d+\.js$/;

describeFrameworkApp({
  title: 'SvelteKit 3 with adapter-node',
  app: APP,
  clean: ['build', '.svelte-kit'],
  build: { script: 'node_modules/vite/bin/vite.js', args: ['build'] },
  summaries: 2,
  deployDir: 'build',
  glue: (file) => GLUE.test(file),
  // The route code, and adapter-node's own handler: both go through Vite's server build.
  mustInject: ['server/entries/pages/invoice/_page.svelte.js', 'server/adapter-node-handler.js'],
  start: { script: 'build/index.js' },
  publicDir: 'client',
  clientThrow: {
    path: '/checkout',
    selector: '#pay-unhandled',
    message: 'sveltekit checkout: total must be positive',
    source: 'src/routes/checkout/+page.svelte',
  },
  serverThrows: [
    { path: '/api/invoice?order=x', message: 'sveltekit ledger: order', source: 'src/lib/server/ledger.ts' },
  ],
  // SvelteKit writes a build timestamp (its `version.name`) and a global named after it into two server
  // chunks: new code on every build, so new symbol sets.
  changedOnRebuild: ['server/chunks/instance.js', 'server/chunks/internal.js'],
  more(context) {
    it('reports a throw while a .svelte page renders on the server at its .svelte line', async () => {
      const { local, site, releaseId } = context();
      const exception = await throwOnServer({
        local,
        url: `${site.url}/invoice?order=x`,
        message: SSR_THROW,
      });
      // SvelteKit applies its own server maps to the stack before handleError sees it: the frame arrives
      // already pointing at the .svelte line (and so carries no chunk id to resolve).
      expect(framesOf(exception, SSR_THROW)[0]).toMatchObject({
        platform: 'node:javascript',
        filename: 'src/routes/invoice/+page.svelte',
        lineno: lineOf(path.join(APP, 'src/routes/invoice/+page.svelte'), SSR_THROW),
      });
      expect(exception.properties.$release_id).toBe(releaseId);
    });
  },
});
