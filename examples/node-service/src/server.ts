import { createServer } from 'node:http';
import { PostHog } from 'posthog-node';
import { handleRequest } from './routes';

const token = process.env.POSTHOG_PROJECT_TOKEN;
const host = process.env.POSTHOG_API_HOST || process.env.POSTHOG_CLI_HOST || undefined;
// Uncaught exceptions are reported too: posthog-node flushes them, then ends the process.
const posthog = token
  ? new PostHog(token, {
      ...(host ? { host } : {}),
      flushAt: 1,
      flushInterval: 0,
      enableExceptionAutocapture: true,
    })
  : undefined;
if (!posthog) console.warn('POSTHOG_PROJECT_TOKEN is not set: errors are not reported.');

const server = createServer((req, res) => handleRequest(req, res, posthog));
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : process.env.PORT;
  console.log(`node-service listening on http://127.0.0.1:${port}`);
});

async function stop(): Promise<void> {
  server.close();
  await posthog?.shutdown();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
