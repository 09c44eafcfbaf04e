/** The shape of a synthetic app. Module counts are totals; each route and shared group is one chunk. */
export interface AppShape {
  modules: number;
  /** Lazily loaded routes: one dynamic import, so one chunk, each. */
  routes: number;
  /** Groups of modules shared by 2–4 routes: one chunk each. */
  sharedGroups: number;
  /** Packages under node_modules, imported by the entry chunk (a vendor part, as real apps have). */
  libraries: number;
  /** Mean module source size; sizes spread from 0.3x to 1.5x, with a few 3x-large modules. */
  meanModuleBytes: number;
  seed: number;
}

export type SizeName = 'small' | 'default' | 'large';

/** `default` is about 3,000 modules, 150 chunks and 30 MB of source maps; `large` is ten times that. */
export const SIZES: Record<SizeName, AppShape> = {
  small: { modules: 300, routes: 12, sharedGroups: 3, libraries: 4, meanModuleBytes: 3500, seed: 7 },
  default: { modules: 3000, routes: 125, sharedGroups: 24, libraries: 10, meanModuleBytes: 3500, seed: 7 },
  large: { modules: 30000, routes: 1250, sharedGroups: 240, libraries: 10, meanModuleBytes: 3500, seed: 7 },
};

/** Bump when the generated code changes, so a cached app is generated again. */
export const GENERATOR_VERSION = 1;
