import { hogmapsVitePlugin } from '@hogmaps/vite';
import { reactRouter } from '@react-router/dev/vite';
import { defineConfig } from 'vite';

// hogmaps reads POSTHOG_CLI_HOST, POSTHOG_CLI_API_KEY and POSTHOG_CLI_PROJECT_ID. The browser's PostHog
// settings are compiled in from POSTHOG_PROJECT_TOKEN and POSTHOG_API_HOST; the server reads them at start.
export default defineConfig({
  plugins: [reactRouter(), hogmapsVitePlugin({ sourcemaps: { releaseName: 'example-react-router-app' } })],
  define: {
    __POSTHOG_TOKEN__: JSON.stringify(process.env.POSTHOG_PROJECT_TOKEN ?? ''),
    __POSTHOG_HOST__: JSON.stringify(process.env.POSTHOG_API_HOST || process.env.POSTHOG_CLI_HOST || ''),
  },
});
