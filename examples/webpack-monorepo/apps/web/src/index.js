import { formatMoney } from '@acme/shared';
import posthog from 'posthog-js';

if (__POSTHOG_TOKEN__) {
  posthog.init(__POSTHOG_TOKEN__, {
    ...(__POSTHOG_HOST__ ? { api_host: __POSTHOG_HOST__ } : {}),
    capture_exceptions: true,
    capture_pageview: false,
    autocapture: false,
    persistence: 'memory',
    // Headless browsers (demos, tests) look like bots to posthog-js.
    opt_out_useragent_filter: true,
  });
}

const order = { id: 'A-311', lines: [{ sku: 'LAMP-2', quantity: 1.5, unitCents: 4999 }] };

document.body.innerHTML = `<h1>Orders</h1><p>Order ${order.id}: ${formatMoney(4999)}</p>
  <button id="pay">Pay (error handled and reported)</button>
  <button id="pay-unhandled">Pay (error left uncaught)</button>
  <p id="status"></p>`;

// The payment code is a separate chunk, loaded on first click.
document.querySelector('#pay').addEventListener('click', async () => {
  const { pay } = await import('./pay.js');
  try {
    pay(order);
  } catch (error) {
    posthog.captureException(error);
    document.querySelector('#status').textContent = `Payment failed: ${error.message}`;
  }
});
document.querySelector('#pay-unhandled').addEventListener('click', async () => {
  const { pay } = await import('./pay.js');
  setTimeout(() => pay(order));
});
