import { PassThrough } from 'node:stream';
import { createReadableStreamFromReadable } from '@react-router/node';
import { renderToPipeableStream } from 'react-dom/server';
import { type EntryContext, type HandleErrorFunction, ServerRouter } from 'react-router';
import { posthog } from './lib/posthog.server';

// React Router's default server entry (rendering the whole page before answering), plus handleError.
export default function handleRequest(
  request: Request,
  status: number,
  headers: Headers,
  context: EntryContext,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<ServerRouter context={context} url={request.url} />, {
      onAllReady() {
        const body = new PassThrough();
        headers.set('Content-Type', 'text/html');
        resolve(new Response(createReadableStreamFromReadable(body), { headers, status }));
        pipe(body);
      },
      onShellError: reject,
      onError() {
        status = 500;
      },
    });
    setTimeout(abort, 10_000);
  });
}

// Errors of loaders, actions and server rendering, reported with posthog-node.
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (!request.signal.aborted) posthog?.captureException(error, 'react-router-app-server');
};
