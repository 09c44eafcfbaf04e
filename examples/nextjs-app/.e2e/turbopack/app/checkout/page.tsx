import { PayButtons } from './pay-buttons';

export default function Checkout() {
  return (
    <main>
      <h1>Checkout</h1>
      <PayButtons />
    </main>
  );
}
