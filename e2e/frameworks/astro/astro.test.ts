import * as path from 'node:path';
import { expect } from 'vitest';
import { EXAMPLES_DIR } from '../../test/harness/examples';
import { describeFrameworkApp } from '../harness';

/**
 * examples/astro-app (Astro 7, @astrojs/node standalone, a Svelte island) with @hogmaps/vite: built on
 * Node 24 against the local server, served by the adapter's standalone server on 127.0.0.1, the island's
 * click handler throwing in headless Chromium (posthog-js), an endpoint and an `.astro` page throwing on
 * the server, reported by posthog-node from the middleware.
 */
/**
 * Astro writes its route manifest into the server entry after every Vite build has finished, in place of
 * a placeholder string on one line (`deserializeManifest("@@ASTRO_MANIFEST_REPLACE@@")`): hogmaps uploaded
 * the entry before that, so its symbol set holds the placeholder. It holds a random key, new on every build.
 */
function withoutAstroManifest(file: string, code: string): string {
  if (file !== 'server/entry.mjs') return code;
  const undone = code.replace(
    /deserializeManifest\(\{.*\}\);$/m,
    'deserializeManifest("@@ASTRO_MANIFEST_REPLACE@@");',
  );
  expect(undone, 'the route manifest, on one line').not.toBe(code);
  return undone;
}

describeFrameworkApp({
  title: 'Astro 7 with @astrojs/node',
  app: path.join(EXAMPLES_DIR, 'astro-app'),
  clean: ['dist', '.astro'],
  build: { script: 'node_modules/astro/bin/astro.mjs', args: ['build'] },
  summaries: 2,
  deployDir: 'dist',
  asUploaded: withoutAstroManifest,
  mustInject: ['server/entry.mjs'],
  start: { script: 'dist/server/entry.mjs' },
  publicDir: 'client',
  clientThrow: {
    path: '/checkout',
    selector: '#pay-unhandled',
    message: 'astro checkout: total must be positive',
    source: 'src/components/Pay.svelte',
  },
  serverThrows: [
    { path: '/api/invoice?order=x', message: 'astro ledger: order', source: 'src/lib/ledger.ts' },
    {
      path: '/invoice?order=x',
      message: 'astro invoice: bad order number',
      source: 'src/pages/invoice.astro',
    },
  ],
});
