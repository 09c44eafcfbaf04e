export interface CartLine {
  sku: string;
  quantity: number;
  unitCents: number;
}

export function priceCart(cart: { id: string; lines: CartLine[] }): number {
  let total = 0;
  for (const line of cart.lines) {
    if (line.quantity <= 0) {
      throw new RangeError(`Cart ${cart.id}: quantity of ${line.sku} must be positive, got ${line.quantity}`);
    }
    total += line.quantity * line.unitCents;
  }
  return total;
}
