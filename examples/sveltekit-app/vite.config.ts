import { hogmapsVitePlugin } from '@hogmaps/vite';
import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// hogmaps reads POSTHOG_CLI_HOST, POSTHOG_CLI_API_KEY and POSTHOG_CLI_PROJECT_ID. The browser's PostHog
// settings are compiled in from POSTHOG_PROJECT_TOKEN and POSTHOG_API_HOST; the server reads them at start.
export default defineConfig({
  plugins: [
    sveltekit({ adapter: adapter() }),
    hogmapsVitePlugin({ sourcemaps: { releaseName: 'example-sveltekit-app' } }),
  ],
  define: {
    __POSTHOG_TOKEN__: JSON.stringify(process.env.POSTHOG_PROJECT_TOKEN ?? ''),
    __POSTHOG_HOST__: JSON.stringify(process.env.POSTHOG_API_HOST || process.env.POSTHOG_CLI_HOST || ''),
  },
});
