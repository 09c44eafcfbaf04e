import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where a scenario function throws: the unique message and the source file holding it. */
export interface ScenarioThrow {
  message: string;
  /** Relative to the scenario root, forward slashes. */
  source: string;
}

/**
 * The bundler-neutral app every runner builds: several modules, a dynamic import (a split chunk), a
 * module with a "use strict" directive, a CSS import, and a Node CLI entry with a hashbang.
 */
export const appScenario = {
  root: path.dirname(fileURLToPath(import.meta.url)),
  browserEntries: { main: 'src/main.js' },
  nodeEntries: { cli: 'node/cli.js' },
  /** A source edit that changes the lazy chunk only (for the content-hash check). */
  lazyEdit: { file: 'src/lazy.js', from: 'LAZY_REVISION = 1', to: 'LAZY_REVISION = 2' },
  /** The throws each build must contain, to be found again through the uploaded maps. */
  browserThrows: [
    { message: 'hogmaps-boom-main', source: 'src/main.js' },
    { message: 'hogmaps-boom-math', source: 'src/math.js' },
    { message: 'hogmaps-boom-strict', source: 'src/strict.js' },
    { message: 'hogmaps-boom-lazy', source: 'src/lazy.js' },
  ] satisfies ScenarioThrow[],
  nodeThrows: [
    { message: 'hogmaps-boom-cli', source: 'node/cli.js' },
    { message: 'hogmaps-boom-math', source: 'src/math.js' },
  ] satisfies ScenarioThrow[],
} as const;
