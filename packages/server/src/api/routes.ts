import { releaseRoutes } from '../releases/routes';
import { symbolSetRoutes } from '../symbol-sets/routes';
import type { ApiRoute } from './router';

/** Every error-tracking route, in DRF's order: list actions before detail routes. */
export const API_ROUTES: readonly ApiRoute[] = [...releaseRoutes, ...symbolSetRoutes];
