import { PostHog } from 'posthog-node';

let client: PostHog | undefined;

/** One posthog-node client per server process; undefined when no token was set at build time. */
export function posthogServer(): PostHog | undefined {
  const token = process.env.NEXT_PUBLIC_POSTHOG_TOKEN;
  if (!token) return undefined;
  client ??= new PostHog(token, { host: process.env.NEXT_PUBLIC_POSTHOG_HOST, flushAt: 1, flushInterval: 0 });
  return client;
}
