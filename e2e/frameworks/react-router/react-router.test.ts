import * as path from 'node:path';
import { EXAMPLES_DIR } from '../../test/harness/examples';
import { describeFrameworkApp } from '../harness';

/**
 * examples/react-router-app (React Router 7 in framework mode, its Vite plugin) with @hogmaps/vite:
 * built on Node 24 against the local server, served by react-router-serve on 127.0.0.1, a click handler
 * in a route module throwing in headless Chromium (posthog-js), and a loader throwing on the server,
 * reported by posthog-node from entry.server's handleError.
 */
describeFrameworkApp({
  title: 'React Router 7 (framework mode) with react-router-serve',
  app: path.join(EXAMPLES_DIR, 'react-router-app'),
  clean: ['build', '.react-router'],
  build: { script: 'node_modules/@react-router/dev/bin.js', args: ['build'] },
  summaries: 2,
  deployDir: 'build',
  // The browser's route manifest (`window.__reactRouterManifest = {…}`), written by React Router's plugin
  // after the client build: data, not minified, no code of the app's.
  glue: (file) => /^client\/assets\/manifest-[0-9a-f]+\.js$/.test(file),
  start: { script: 'node_modules/@react-router/serve/bin.js', args: ['build/server/index.js'] },
  publicDir: 'client',
  clientThrow: {
    path: '/checkout',
    selector: '#pay-unhandled',
    message: 'react-router checkout: total must be positive',
    source: 'app/routes/checkout.tsx',
  },
  serverThrows: [
    {
      path: '/invoice?order=x',
      message: 'react-router invoice: bad order number',
      source: 'app/routes/invoice.tsx',
    },
  ],
});
