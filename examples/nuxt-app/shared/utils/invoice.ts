export interface OrderLine {
  sku: string;
  quantity: number;
  unitCents: number;
}

export function createInvoice(order: { id: string; lines: OrderLine[] }) {
  const lines = order.lines.map((line) => {
    if (line.quantity <= 0) {
      throw new RangeError(
        `Order ${order.id}: quantity of ${line.sku} must be positive, got ${line.quantity}`,
      );
    }
    return { ...line, totalCents: line.quantity * line.unitCents };
  });
  return { orderId: order.id, lines, totalCents: lines.reduce((sum, line) => sum + line.totalCents, 0) };
}
