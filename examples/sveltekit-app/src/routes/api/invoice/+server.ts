import { json } from '@sveltejs/kit';
import { ledgerEntry } from '#lib/server/ledger';
import { posthog } from '#lib/server/posthog';
import type { RequestHandler } from './$types';

// An error the route handles itself and reports as it happened (the stack trace as Node made it).
export const GET: RequestHandler = ({ url }) => {
  try {
    return json(ledgerEntry(url.searchParams.get('order') ?? ''));
  } catch (error) {
    posthog?.captureException(error, 'sveltekit-app-server');
    return json({ message: 'not found' }, { status: 500 });
  }
};
