import { hogmapsRolldownPlugin } from '@hogmaps/rolldown';
import { defineConfig } from 'rolldown';

/** Writes index.html next to the bundle, pointing at the hashed entry chunk. */
function indexHtml() {
  return {
    name: 'example:index-html',
    generateBundle(_options, bundle) {
      const entry = Object.values(bundle).find((file) => file.type === 'chunk' && file.isEntry);
      this.emitFile({
        type: 'asset',
        fileName: 'index.html',
        source: `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>hogmaps example: rolldown-app</title></head>
  <body>
    <nav><a id="home-link" href="#/">Home</a> · <a id="checkout-link" href="#/checkout">Checkout</a></nav>
    <main id="app"></main>
    <script type="module" src="./${entry.fileName}"></script>
  </body>
</html>
`,
      });
    },
  };
}

// hogmaps reads POSTHOG_CLI_HOST, POSTHOG_CLI_API_KEY and POSTHOG_CLI_PROJECT_ID; the app's own
// PostHog settings are compiled in from POSTHOG_PROJECT_TOKEN and POSTHOG_API_HOST.
export default defineConfig({
  input: 'src/main.ts',
  platform: 'browser',
  transform: {
    define: {
      __POSTHOG_TOKEN__: JSON.stringify(process.env.POSTHOG_PROJECT_TOKEN ?? ''),
      __POSTHOG_HOST__: JSON.stringify(process.env.POSTHOG_API_HOST || process.env.POSTHOG_CLI_HOST || ''),
    },
  },
  output: {
    dir: 'dist',
    cleanDir: true,
    format: 'esm',
    minify: true,
    entryFileNames: 'assets/[name]-[hash].js',
    chunkFileNames: 'assets/[name]-[hash].js',
  },
  plugins: [hogmapsRolldownPlugin({ sourcemaps: { releaseName: 'example-rolldown-app' } }), indexHtml()],
});
