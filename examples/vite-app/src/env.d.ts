/// <reference types="vite/client" />

/** The project token (`phc_…`) compiled in by vite.config.ts; empty when none was given. */
declare const __POSTHOG_TOKEN__: string;
/** Where posthog-js sends events; empty means PostHog's default host. */
declare const __POSTHOG_HOST__: string;
