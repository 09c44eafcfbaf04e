import { initPostHog } from './posthog';
import { renderHome } from './routes/home';

initPostHog();

const app = document.querySelector<HTMLElement>('#app')!;

// The checkout route (and everything it imports) is a separate chunk, loaded on first visit.
async function route(): Promise<void> {
  if (location.hash === '#/checkout') {
    const { renderCheckout } = await import('./routes/checkout');
    renderCheckout(app);
  } else {
    renderHome(app);
  }
}

window.addEventListener('hashchange', () => void route());
void route();
