import posthog from 'posthog-js';

export default defineNuxtPlugin((nuxtApp) => {
  const { posthogToken, posthogHost } = useRuntimeConfig().public;
  if (!posthogToken) return { provide: { posthog: undefined } };
  posthog.init(posthogToken, {
    api_host: posthogHost,
    capture_exceptions: true,
    opt_out_useragent_filter: true,
    disable_compression: true,
  });
  nuxtApp.hook('vue:error', (error) => {
    posthog.captureException(error);
  });
  return { provide: { posthog } };
});
