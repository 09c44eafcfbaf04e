export { formatMoney } from './money.js';
export { validateOrder } from './validate-order.js';
