import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A Vite app built from two HTML pages (one nested): the home page's entry loads a route with import(),
 * and the route imports code Vite keeps in the entry chunk, so it names the entry chunk's file.
 */
export const vitePagesScenario = {
  root: path.dirname(fileURLToPath(import.meta.url)),
  pages: { index: 'index.html', about: 'pages/about.html' },
  markers: { main: 'pages-main', route: 'pages-boom-route', about: 'pages-about' },
} as const;
