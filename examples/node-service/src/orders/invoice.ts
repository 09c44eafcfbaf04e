import { lineTotal } from './line-total';

export interface OrderLine {
  sku: string;
  quantity: number;
  unitCents: number;
}

export interface Order {
  id: string;
  lines: OrderLine[];
}

export function createInvoice(order: Order): { orderId: string; totalCents: number } {
  const totalCents = order.lines.reduce((sum, line) => sum + lineTotal(order.id, line), 0);
  return { orderId: order.id, totalCents };
}
