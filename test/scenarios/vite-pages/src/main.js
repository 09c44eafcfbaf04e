// The page's entry: it uses label() itself, so Vite keeps util.js in the entry chunk, and the lazy
// route imports label() from the entry chunk by its file name.
import { label } from './util.js';

globalThis.vitePages = {
  marker: 'pages-main',
  title: label('home'),
  route: () => import('./route.js'),
};
