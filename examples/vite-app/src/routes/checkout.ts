import { submitOrder } from '../features/orders/submit';
import { posthog } from '../posthog';

// A cart with a line the pricing code rejects, so paying always fails.
const cart = {
  id: 'cart-1042',
  lines: [
    { sku: 'MUG-01', quantity: 2, unitCents: 1250 },
    { sku: 'TEE-07', quantity: -1, unitCents: 2400 },
  ],
};

export function renderCheckout(root: HTMLElement): void {
  root.innerHTML = `<h1>Checkout</h1>
    <button id="pay">Pay (error handled and reported)</button>
    <button id="pay-unhandled">Pay (error left uncaught)</button>
    <p id="status"></p>`;
  const status = root.querySelector<HTMLElement>('#status')!;

  root.querySelector('#pay')!.addEventListener('click', () => {
    try {
      submitOrder(cart);
    } catch (error) {
      posthog.captureException(error);
      status.textContent = `Payment failed: ${(error as Error).message}`;
    }
  });
  // No try/catch: posthog-js reports it through window.onerror.
  root.querySelector('#pay-unhandled')!.addEventListener('click', () => {
    submitOrder(cart);
  });
}
