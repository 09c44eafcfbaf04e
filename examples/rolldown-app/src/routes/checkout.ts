import { type Cart, priceCart } from '../features/cart/pricing';
import { posthog } from '../posthog';

// A cart with a line the pricing code rejects, so paying always fails.
const cart: Cart = {
  id: 'cart-2077',
  lines: [
    { sku: 'BOOK-12', quantity: 1, unitCents: 3900 },
    { sku: 'PEN-03', quantity: 0, unitCents: 250 },
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
      priceCart(cart);
    } catch (error) {
      posthog.captureException(error);
      status.textContent = `Payment failed: ${(error as Error).message}`;
    }
  });
  // No try/catch: posthog-js reports it through window.onerror.
  root.querySelector('#pay-unhandled')!.addEventListener('click', () => {
    priceCart(cart);
  });
}
