import { defineMiddleware } from 'astro:middleware';
import { posthog } from './lib/posthog.server';

// Errors thrown by pages and endpoints rendered on the server, reported with posthog-node.
export const onRequest = defineMiddleware(async (_context, next) => {
  try {
    return await next();
  } catch (error) {
    posthog?.captureException(error, 'astro-app-server');
    throw error;
  }
});
