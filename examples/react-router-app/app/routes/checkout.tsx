import { priceLines } from '../lib/pricing';

const LINES = [{ sku: 'TEE-07', quantity: -1, cents: 2500 }];

export default function Checkout() {
  function pay() {
    const total = priceLines(LINES);
    if (total <= 0) throw new Error(`react-router checkout: total must be positive, got ${total}`);
  }
  return (
    <main>
      <h1>Checkout</h1>
      <button id="pay-unhandled" type="button" onClick={pay}>
        Pay
      </button>
    </main>
  );
}
