import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PostHog } from 'posthog-node';
import { createInvoice } from './orders/invoice';

const orders = new Map([
  ['1001', { id: '1001', lines: [{ sku: 'MUG-01', quantity: 2, unitCents: 1250 }] }],
  ['1002', { id: '1002', lines: [{ sku: 'TEE-07', quantity: -3, unitCents: 2400 }] }],
]);

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function handleRequest(req: IncomingMessage, res: ServerResponse, posthog: PostHog | undefined): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const invoice = /^\/orders\/([^/]+)\/invoice$/.exec(url.pathname);
  if (invoice) {
    const order = orders.get(invoice[1]!);
    if (!order) {
      send(res, 404, { error: 'no such order' });
      return;
    }
    try {
      send(res, 200, createInvoice(order));
    } catch (error) {
      // A handled error: reported, and the client gets a 500.
      posthog?.captureException(error, 'node-service', { path: url.pathname });
      send(res, 500, { error: (error as Error).message });
    }
  } else if (url.pathname === '/jobs/nightly-invoices') {
    send(res, 202, { started: true });
    // A background job that fails outside any request: nothing catches it.
    setTimeout(() => {
      for (const order of orders.values()) createInvoice(order);
    }, 10);
  } else if (url.pathname === '/health') {
    send(res, 200, { ok: true });
  } else {
    send(res, 404, { error: 'not found' });
  }
}
