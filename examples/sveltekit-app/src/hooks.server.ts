import type { HandleServerError } from '@sveltejs/kit';
import { posthog } from '#lib/server/posthog';

// Errors thrown while loading or rendering on the server. SvelteKit has already applied its server maps
// to their stack traces (see the README's SvelteKit section).
export const handleError: HandleServerError = ({ error }) => {
  posthog?.captureException(error, 'sveltekit-app-server');
  return { message: 'Internal Error' };
};
