import { posthogServer } from '../../../lib/posthog-server';

function loadOrder(id: string): { id: string; total: number } {
  throw new Error(`order ${id} not found in the ledger`);
}

/** A route handler: the error is reported with posthog-node and the client gets a 500. */
export async function GET(request: Request): Promise<Response> {
  const id = new URL(request.url).searchParams.get('id') ?? '1001';
  try {
    return Response.json(loadOrder(id));
  } catch (error) {
    const posthog = posthogServer();
    posthog?.captureException(error, 'nextjs-app', { where: 'route handler' });
    await posthog?.flush();
    return Response.json({ error: (error as Error).message }, { status: 500 });
  }
}
