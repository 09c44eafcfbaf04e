import './style.css';
import { parseRatio } from './math.js';
import { strictTotal } from './strict.js';

export function failInMain() {
  throw new Error('hogmaps-boom-main');
}

// Published on globalThis so that no bundler tree-shakes the functions away.
globalThis.hogmapsScenario = {
  failInMain,
  parseRatio,
  strictTotal,
  loadLazy: () => import('./lazy.js'),
};
