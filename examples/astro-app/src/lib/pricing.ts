export interface Line {
  sku: string;
  quantity: number;
  cents: number;
}

/** The order total in cents. */
export function priceLines(lines: readonly Line[]): number {
  return lines.reduce((total, line) => total + line.quantity * line.cents, 0);
}
