export function ledgerEntry(order: string): { order: string; cents: number } {
  const cents = Number(order) * 100;
  if (!Number.isInteger(cents) || cents <= 0)
    throw new RangeError(`sveltekit ledger: order ${order} not found`);
  return { order, cents };
}
