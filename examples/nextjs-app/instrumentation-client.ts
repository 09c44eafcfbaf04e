import posthog from 'posthog-js';

// Runs in the browser before the app: posthog-js reports uncaught errors and captureException calls.
const token = process.env.NEXT_PUBLIC_POSTHOG_TOKEN;
if (token) {
  posthog.init(token, {
    api_host: process.env.NEXT_PUBLIC_POSTHOG_HOST,
    capture_exceptions: true,
    capture_pageview: false,
    autocapture: false,
    persistence: 'memory',
    // The tests drive this app in headless Chromium, which posthog-js takes for a bot.
    opt_out_useragent_filter: true,
  });
}
