export function renderHome(root: HTMLElement): void {
  root.innerHTML = '<h1>Shop</h1><p>Your cart has 2 items. <a href="#/checkout">Go to checkout</a>.</p>';
}
