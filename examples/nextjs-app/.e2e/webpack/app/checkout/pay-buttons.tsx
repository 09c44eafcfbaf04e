'use client';

import posthog from 'posthog-js';
import { useState } from 'react';
import { placeOrder } from './actions';

// A cart with a line the pricing code rejects, so paying always fails.
const cart = [
  { sku: 'MUG-01', quantity: 2, unitCents: 1250 },
  { sku: 'TEE-07', quantity: -1, unitCents: 2400 },
];

function payInBrowser(): never {
  throw new Error(`card declined for ${cart.length} lines`);
}

export function PayButtons() {
  const [status, setStatus] = useState('');
  return (
    <>
      <button
        id="pay"
        type="button"
        onClick={() => {
          try {
            payInBrowser();
          } catch (error) {
            posthog.captureException(error);
            setStatus(`Payment failed: ${(error as Error).message}`);
          }
        }}
      >
        Pay in the browser (error reported)
      </button>
      <button id="order" type="button" onClick={async () => setStatus(await placeOrder(cart))}>
        Place the order (server action fails)
      </button>
      <p id="status">{status}</p>
    </>
  );
}
