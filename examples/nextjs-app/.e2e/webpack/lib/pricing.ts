export interface CartLine {
  sku: string;
  quantity: number;
  unitCents: number;
}

/** The total of a cart; a line with a quantity below one is a bug upstream, so it throws. */
export function cartTotal(lines: readonly CartLine[]): number {
  let total = 0;
  for (const line of lines) {
    if (line.quantity < 1) {
      throw new RangeError(`invalid quantity ${line.quantity} for ${line.sku}`);
    }
    total += line.quantity * line.unitCents;
  }
  return total;
}
