import { PostHog } from 'posthog-node';

const token = process.env.POSTHOG_PROJECT_TOKEN;
const host = process.env.POSTHOG_API_HOST || process.env.POSTHOG_CLI_HOST;

/** posthog-node, sending each event at once; undefined when POSTHOG_PROJECT_TOKEN is not set. */
export const posthog = token
  ? new PostHog(token, { ...(host ? { host } : {}), flushAt: 1, flushInterval: 0 })
  : undefined;
