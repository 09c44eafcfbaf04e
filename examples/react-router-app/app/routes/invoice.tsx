import type { Route } from './+types/invoice';

// Runs on the server: its error reaches handleError in entry.server.tsx (posthog-node).
export function loader({ request }: Route.LoaderArgs) {
  const order = new URL(request.url).searchParams.get('order') ?? '';
  if (!/^\d+-\d+$/.test(order)) throw new TypeError(`react-router invoice: bad order number ${order}`);
  return { order };
}

export default function Invoice({ loaderData }: Route.ComponentProps) {
  return <h1>Invoice INV-{loaderData.order}</h1>;
}
