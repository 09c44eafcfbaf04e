// The machine and the versions a result was measured with, printed beside every table.
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  /** What the local server ran on (absent in results written before it was recorded). */
  server?: string;
  /** 1-minute load average when the run started and ended. */
  loadStart: number;
  loadEnd?: number;
  versions: Record<string, string>;
}

const PACKAGES = [
  'vite',
  'rollup',
  'rolldown',
  'webpack',
  '@rspack/core',
  'esbuild',
  '@hogmaps/core',
  '@sentry/vite-plugin',
  '@sentry/webpack-plugin',
  '@posthog/rollup-plugin',
  '@posthog/webpack-plugin',
  '@toondepauw/node-zstd',
];

export async function machineInfo(benchDir: string): Promise<MachineInfo> {
  const versions: Record<string, string> = {};
  for (const name of PACKAGES) {
    const file = path.join(benchDir, 'node_modules', name, 'package.json');
    versions[name] = await readFile(file, 'utf8').then(
      (text) => (JSON.parse(text) as { version: string }).version,
      () => 'not installed',
    );
  }
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadStart: os.loadavg()[0]!,
    versions,
  };
}
