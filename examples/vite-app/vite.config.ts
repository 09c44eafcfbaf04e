import { hogmapsVitePlugin } from '@hogmaps/vite';
import { defineConfig } from 'vite';

// hogmaps reads POSTHOG_CLI_HOST, POSTHOG_CLI_API_KEY and POSTHOG_CLI_PROJECT_ID; the app's own
// PostHog settings are compiled in from POSTHOG_PROJECT_TOKEN and POSTHOG_API_HOST.
export default defineConfig({
  plugins: [hogmapsVitePlugin({ sourcemaps: { releaseName: 'example-vite-app' } })],
  define: {
    __POSTHOG_TOKEN__: JSON.stringify(process.env.POSTHOG_PROJECT_TOKEN ?? ''),
    __POSTHOG_HOST__: JSON.stringify(process.env.POSTHOG_API_HOST || process.env.POSTHOG_CLI_HOST || ''),
  },
});
