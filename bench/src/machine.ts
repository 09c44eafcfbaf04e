// The machine and the versions a result was measured with, printed beside every table.
import { readdir, readFile } from 'node:fs/promises';
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
  /**
   * The VM hands freed memory back to its host (virtio-balloon free page reporting): memory a process
   * touches after a pause is faulted in from the host again, so a build's system time swings by
   * seconds between runs. Absent where the kernel does not, and in results written before it was read.
   */
  freePageReporting?: boolean;
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

async function reportsFreePages(): Promise<boolean> {
  const order = await readFile('/sys/module/page_reporting/parameters/page_reporting_order', 'utf8').catch(
    () => undefined,
  );
  if (order === undefined) return false;
  const balloon = await readdir('/sys/bus/virtio/drivers/virtio_balloon').catch(() => [] as string[]);
  return balloon.some((entry) => entry.startsWith('virtio'));
}

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
    freePageReporting: await reportsFreePages(),
  };
}
