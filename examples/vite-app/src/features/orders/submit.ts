import { type Cart, priceCart } from '../cart/pricing';

export interface Order {
  cartId: string;
  totalCents: number;
}

export function submitOrder(cart: Cart): Order {
  const totalCents = priceCart(cart);
  return { cartId: cart.id, totalCents };
}
