import { PostHog } from 'posthog-node';

// Errors thrown by server routes reach Nitro's `error` hook; posthog-node sends each one at once.
export default defineNitroPlugin((nitroApp) => {
  const { posthogToken, posthogHost } = useRuntimeConfig().public;
  if (!posthogToken) return;
  const posthog = new PostHog(posthogToken, {
    ...(posthogHost ? { host: posthogHost } : {}),
    flushAt: 1,
    flushInterval: 0,
  });
  nitroApp.hooks.hook('error', (error) => {
    posthog.captureException(error, 'nuxt-app-server');
  });
  nitroApp.hooks.hook('close', () => posthog.shutdown());
});
