export interface Line {
  sku: string;
  quantity: number;
  cents: number;
}

export function priceLines(lines: Line[]): number {
  return lines.reduce((total, line) => total + line.quantity * line.cents, 0);
}
