import type { OrderLine } from './invoice';

export function lineTotal(orderId: string, line: OrderLine): number {
  if (!Number.isInteger(line.quantity) || line.quantity <= 0) {
    throw new RangeError(
      `Order ${orderId}: quantity of ${line.sku} must be a positive integer, got ${line.quantity}`,
    );
  }
  return line.quantity * line.unitCents;
}
