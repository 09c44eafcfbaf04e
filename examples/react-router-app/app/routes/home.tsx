import { Link } from 'react-router';

export default function Home() {
  return (
    <main>
      <h1>hogmaps React Router example</h1>
      <p>
        <Link id="checkout-link" to="/checkout">
          Checkout
        </Link>{' '}
        · <a href="/invoice?order=42-1">Invoice</a>
      </p>
    </main>
  );
}
