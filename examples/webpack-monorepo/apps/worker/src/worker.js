import { formatMoney, validateOrder } from '@acme/shared';
import { PostHog } from 'posthog-node';

// A nightly job: invoices every pending order and reports the ones that fail.
const pending = [
  { id: 'B-100', lines: [{ sku: 'DESK-1', quantity: 1, unitCents: 25900 }] },
  { id: 'B-101', lines: [{ sku: 'CHAIR-4', quantity: -2, unitCents: 8900 }] },
];

const token = process.env.POSTHOG_PROJECT_TOKEN;
const host = process.env.POSTHOG_API_HOST || process.env.POSTHOG_CLI_HOST || undefined;
const posthog = token
  ? new PostHog(token, { ...(host ? { host } : {}), flushAt: 1, flushInterval: 0 })
  : undefined;

function invoice(order) {
  validateOrder(order);
  return order.lines.reduce((sum, line) => sum + line.quantity * line.unitCents, 0);
}

async function main() {
  let failed = 0;
  for (const order of pending) {
    try {
      console.log(`invoiced ${order.id}: ${formatMoney(invoice(order))}`);
    } catch (error) {
      failed += 1;
      console.error(`could not invoice ${order.id}: ${error.message}`);
      posthog?.captureException(error, 'nightly-invoices', { orderId: order.id });
    }
  }
  await posthog?.shutdown();
  process.exitCode = failed > 0 ? 1 : 0;
}

void main();
