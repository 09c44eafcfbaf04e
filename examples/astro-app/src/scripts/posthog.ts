import posthog from 'posthog-js';

if (__POSTHOG_TOKEN__) {
  posthog.init(__POSTHOG_TOKEN__, {
    ...(__POSTHOG_HOST__ ? { api_host: __POSTHOG_HOST__ } : {}),
    capture_exceptions: true,
    capture_pageview: false,
    autocapture: false,
    persistence: 'memory',
    // The tests drive this app in headless Chromium, which posthog-js takes for a bot.
    opt_out_useragent_filter: true,
  });
}
