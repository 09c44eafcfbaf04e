export type { NextBundler } from './bundler';
export {
  type HogmapsNextOptions,
  type NextConfigFunction,
  type NextConfigInput,
  withHogmaps,
} from './with-hogmaps';
