/** A ledger entry for an order number such as `1042`. */
export function ledgerEntry(order: string): { order: string; cents: number } {
  const cents = Number(order) * 100;
  if (!Number.isInteger(cents) || cents <= 0) throw new RangeError(`astro ledger: order ${order} not found`);
  return { order, cents };
}
