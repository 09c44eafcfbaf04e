'use server';

import { posthogServer } from '../../lib/posthog-server';
import { type CartLine, cartTotal } from '../../lib/pricing';

/** A server action: the pricing error is reported with posthog-node and turned into a message. */
export async function placeOrder(lines: CartLine[]): Promise<string> {
  try {
    return `Order placed: ${cartTotal(lines)} cents`;
  } catch (error) {
    const posthog = posthogServer();
    posthog?.captureException(error, 'nextjs-app', { where: 'server action' });
    await posthog?.flush();
    return `Order failed: ${(error as Error).message}`;
  }
}
