// hogmaps reads POSTHOG_CLI_HOST, POSTHOG_CLI_API_KEY and POSTHOG_CLI_PROJECT_ID at build time. The
// app's own PostHog settings default to POSTHOG_PROJECT_TOKEN and POSTHOG_API_HOST at build time
// (NUXT_PUBLIC_POSTHOG_TOKEN and NUXT_PUBLIC_POSTHOG_HOST override them when the server starts).
export default defineNuxtConfig({
  modules: ['@hogmaps/nuxt'],
  hogmaps: { sourcemaps: { releaseName: 'example-nuxt-app' } },
  compatibilityDate: '2026-11-01',
  devtools: { enabled: false },
  telemetry: false,
  runtimeConfig: {
    public: {
      posthogToken: process.env.POSTHOG_PROJECT_TOKEN ?? '',
      posthogHost: process.env.POSTHOG_API_HOST || process.env.POSTHOG_CLI_HOST || '',
    },
  },
});
