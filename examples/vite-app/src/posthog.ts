import posthog from 'posthog-js';

export function initPostHog(): void {
  if (!__POSTHOG_TOKEN__) {
    console.warn('POSTHOG_PROJECT_TOKEN was not set at build time: errors are not reported.');
    return;
  }
  posthog.init(__POSTHOG_TOKEN__, {
    ...(__POSTHOG_HOST__ ? { api_host: __POSTHOG_HOST__ } : {}),
    capture_exceptions: true,
    capture_pageview: false,
    autocapture: false,
    persistence: 'memory',
    // The demo and the tests drive this app in headless Chromium, which posthog-js takes for a bot.
    opt_out_useragent_filter: true,
  });
}

export { posthog };
