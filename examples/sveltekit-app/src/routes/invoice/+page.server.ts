import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => ({ order: url.searchParams.get('order') ?? '' });
