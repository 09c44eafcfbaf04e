import { validateOrder } from '@acme/shared';

export function pay(order) {
  validateOrder(order);
  return { paid: true, orderId: order.id };
}
