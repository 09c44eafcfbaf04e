declare const __POSTHOG_TOKEN__: string;
declare const __POSTHOG_HOST__: string;
