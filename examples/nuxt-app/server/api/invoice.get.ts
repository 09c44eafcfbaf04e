const order = { id: '1002', lines: [{ sku: 'TEE-07', quantity: -3, unitCents: 2400 }] };

export default defineEventHandler(() => createInvoice(order));
