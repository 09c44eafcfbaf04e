/**
 * Checks an order before it is priced; both apps call this.
 * @param {{ id: string, lines: { sku: string, quantity: number, unitCents: number }[] }} order
 */
export function validateOrder(order) {
  if (order.lines.length === 0) {
    throw new Error(`Order ${order.id} has no lines`);
  }
  for (const line of order.lines) {
    if (!Number.isInteger(line.quantity) || line.quantity <= 0) {
      throw new RangeError(
        `Order ${order.id}: quantity of ${line.sku} must be a positive integer, got ${line.quantity}`,
      );
    }
  }
  return order;
}
