import node from '@astrojs/node';
import svelte from '@astrojs/svelte';
import { hogmapsVitePlugin } from '@hogmaps/vite';
import { defineConfig } from 'astro/config';

// hogmaps reads POSTHOG_CLI_HOST, POSTHOG_CLI_API_KEY and POSTHOG_CLI_PROJECT_ID. The browser's PostHog
// settings are compiled in from POSTHOG_PROJECT_TOKEN and POSTHOG_API_HOST; the server reads them at start.
// Astro's `prerender` environment runs at build time only and is deleted: hogmaps skips it.
export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  integrations: [svelte()],
  vite: {
    plugins: [
      {
        ...hogmapsVitePlugin({ sourcemaps: { releaseName: 'example-astro-app' } }),
        applyToEnvironment: (environment) => environment.name !== 'prerender',
      },
    ],
    define: {
      __POSTHOG_TOKEN__: JSON.stringify(process.env.POSTHOG_PROJECT_TOKEN ?? ''),
      __POSTHOG_HOST__: JSON.stringify(process.env.POSTHOG_API_HOST || process.env.POSTHOG_CLI_HOST || ''),
    },
  },
});
