// Every runner, loaded lazily so that `BUNDLERS=vite,rollup` imports only those bundlers.
import type { BundlerName } from '@hogmaps/core';
import type { BundlerRunner } from '../types';

export const BUNDLER_NAMES = [
  'vite',
  'rollup',
  'rolldown',
  'webpack',
  'rspack',
  'esbuild',
] as const satisfies readonly BundlerName[];
export const ROLLUP_FAMILY: readonly BundlerName[] = ['vite', 'rollup', 'rolldown'];

const loaders: Record<BundlerName, () => Promise<BundlerRunner>> = {
  vite: async () => (await import('./vite')).viteRunner,
  rollup: async () => (await import('./rollup')).rollupRunner,
  rolldown: async () => (await import('./rolldown')).rolldownRunner,
  webpack: async () => (await import('./webpack')).webpackRunner,
  rspack: async () => (await import('./rspack')).rspackRunner,
  esbuild: async () => (await import('./esbuild')).esbuildRunner,
};

/** The bundlers named in `BUNDLERS` (comma-separated), or all of them; an unknown name is an error. */
export function selectedBundlers(value: string | undefined = process.env.BUNDLERS): BundlerName[] {
  const names = (value ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  if (names.length === 0) return [...BUNDLER_NAMES];
  const unknown = names.filter((name) => !(BUNDLER_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `BUNDLERS names unknown bundlers: ${unknown.join(', ')} (known: ${BUNDLER_NAMES.join(', ')})`,
    );
  }
  return BUNDLER_NAMES.filter((name) => names.includes(name));
}

/** Imports the runners of the given bundlers, in the registry's order. */
export async function loadRunners(names: readonly BundlerName[]): Promise<BundlerRunner[]> {
  return Promise.all(BUNDLER_NAMES.filter((name) => names.includes(name)).map((name) => loaders[name]()));
}
