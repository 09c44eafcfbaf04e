import { initPostHog } from './posthog';

initPostHog();

const app = document.querySelector<HTMLElement>('#app')!;

// With `splitting: true` each dynamic import becomes its own chunk, loaded on first visit.
async function route(): Promise<void> {
  if (location.hash === '#/checkout') {
    const { renderCheckout } = await import('./routes/checkout');
    renderCheckout(app);
  } else {
    const { renderHome } = await import('./routes/home');
    renderHome(app);
  }
}

window.addEventListener('hashchange', () => void route());
void route();
