import type { APIRoute } from 'astro';
import { ledgerEntry } from '../../lib/ledger';

export const GET: APIRoute = ({ url }) => Response.json(ledgerEntry(url.searchParams.get('order') ?? ''));
