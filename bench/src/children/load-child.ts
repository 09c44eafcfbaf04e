// One sample of `pnpm bench --load`, in a fresh process: import the bundler first (as a config file
// does), then one hogmaps adapter from a checkout's built packages, then create the plugin with the
// inject-only options of the build benchmark (or import unplugin alone, for reference). Reports the
// CPU (all threads) and wall time of each step.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { untilOtherThreadsQuiet } from '../measure/thread-cpu';
import type { Bundler } from '../variants';
import { injectOnlyOptions } from './plugins';

/** What a sample reports: the CPU and wall time of each step, in ms. */
export interface LoadSample {
  bundler: { cpuMs: number; wallMs: number };
  adapter: { cpuMs: number; wallMs: number };
  create: { cpuMs: number; wallMs: number };
}

const BUNDLER_MODULES: Record<Bundler, string> = {
  vite: 'vite',
  rollup: 'rollup',
  rolldown: 'rolldown',
  webpack: 'webpack',
  rspack: '@rspack/core',
  esbuild: 'esbuild',
};

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

async function timed<T>(task: () => T | Promise<T>): Promise<{ value: T; cpuMs: number; wallMs: number }> {
  const cpu = cpuMs();
  const started = performance.now();
  const value = await task();
  return { value, cpuMs: cpuMs() - cpu, wallMs: performance.now() - started };
}

async function main(): Promise<void> {
  const [bundler, root, what] = process.argv.slice(2) as [Bundler, string, 'adapter' | 'unplugin'];
  // `unplugin`: unplugin's package alone, as core resolves it (what a plugin importing it at run time
  // loads first; core bundles it).
  const adapterFile =
    what === 'unplugin'
      ? createRequire(path.join(root, 'packages', 'core', 'package.json')).resolve('unplugin')
      : path.join(root, 'packages', bundler, 'dist', 'index.js');
  const bundlerStep = await timed(() => import(BUNDLER_MODULES[bundler]));
  // A full collection now, so one the bundler's own loading made due (10+ ms of CPU with its marking
  // threads) does not land in the adapter's step by chance; collections the adapter causes still count.
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  // And until the bundler's own background work is done (esbuild's import leaves a V8 helper thread
  // busy for about 40 ms), so the adapter's step counts only what loading hogmaps makes happen.
  await untilOtherThreadsQuiet();
  const adapter = await timed(
    () => import(pathToFileURL(adapterFile).href) as Promise<{ default: (options: object) => unknown }>,
  );
  // webpack, rspack and esbuild resolve the options when the bundler applies the plugin, the rollup
  // family here.
  const create = await timed(() =>
    what === 'unplugin' ? undefined : adapter.value.default(injectOnlyOptions()),
  );
  const strip = ({ cpuMs, wallMs }: { cpuMs: number; wallMs: number }) => ({ cpuMs, wallMs });
  const sample: LoadSample = { bundler: strip(bundlerStep), adapter: strip(adapter), create: strip(create) };
  process.send?.(sample);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
