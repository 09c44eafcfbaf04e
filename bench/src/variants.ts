// What is built and how: the bundlers, the plugin variants run on each, and the job a build child gets.
import type { PairFiles } from './measure/pack-work';

export const BUNDLERS = ['vite', 'rollup', 'rolldown', 'webpack', 'rspack', 'esbuild'] as const;
export type Bundler = (typeof BUNDLERS)[number];

/**
 * `baseline`: no plugin. `inject`: hogmaps without credentials (chunk ids only). `upload`: hogmaps
 * uploading to the local server. `sentry` / `posthog`: the other tools' plugins, injection only.
 * `read` / `rewrite` / `placeholder`: reference plugins (children/reference-plugins.ts), run only when
 * named.
 */
export type VariantId =
  | 'baseline'
  | 'inject'
  | 'upload'
  | 'sentry'
  | 'posthog'
  | 'read'
  | 'rewrite'
  | 'placeholder';

export interface Variant {
  id: VariantId;
  /** As shown in the tables. */
  label: string;
}

const LABELS: Record<VariantId, (bundler: Bundler) => string> = {
  baseline: () => 'no plugin (baseline)',
  inject: () => 'hogmaps, inject only',
  upload: () => 'hogmaps, inject + upload',
  sentry: (bundler) => `@sentry/${bundler === 'vite' ? 'vite' : 'webpack'}-plugin, no auth token`,
  posthog: (bundler) =>
    `@posthog/${bundler === 'webpack' || bundler === 'rspack' ? 'webpack' : 'rollup'}-plugin, stub CLI`,
  read: () => 'reference: final code read and hashed, not written back',
  rewrite: () => 'reference: final code read, hashed, written back',
  placeholder: () => "reference: id from the bundler's hash placeholder",
};

/**
 * The other tools' plugins run where they have one for that bundler family: Sentry's vite and webpack
 * plugins, PostHog's rollup plugin (also in Vite, as PostHog's docs do, and rolldown) and webpack
 * plugin (also rspack, which runs webpack plugins). Neither ships one for esbuild that installs here.
 * The reference plugins run on the rollup family they are written for (placeholder needs rolldown's
 * `postBanner`: Vite 8 and rolldown).
 */
const OTHERS: Record<Bundler, VariantId[]> = {
  vite: ['sentry', 'posthog', 'read', 'rewrite', 'placeholder'],
  rollup: ['posthog', 'read', 'rewrite'],
  rolldown: ['posthog', 'read', 'rewrite', 'placeholder'],
  webpack: ['sentry', 'posthog'],
  rspack: ['sentry', 'posthog'],
  esbuild: [],
};

export function variantsFor(bundler: Bundler): Variant[] {
  return (['baseline', 'inject', 'upload', ...OTHERS[bundler]] as VariantId[]).map((id) => ({
    id,
    label: LABELS[id](bundler),
  }));
}

export function parseBundlers(value: string | undefined): Bundler[] {
  if (!value) return [...BUNDLERS];
  const names = value.split(',').map((name) => name.trim().toLowerCase());
  const unknown = names.filter((name) => !(BUNDLERS as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new Error(`unknown bundler(s): ${unknown.join(', ')} (known: ${BUNDLERS.join(', ')})`);
  return BUNDLERS.filter((name) => names.includes(name));
}

const VARIANT_IDS: readonly VariantId[] = [
  'baseline',
  'inject',
  'upload',
  'sentry',
  'posthog',
  'read',
  'rewrite',
  'placeholder',
];
/** The reference plugins answer a question of their own: they run only when named. */
const REFERENCES: readonly VariantId[] = ['read', 'rewrite', 'placeholder'];

/** `--variants`: the ones named, plus the baseline, which every ratio needs. */
export function parseVariants(value: string | undefined): VariantId[] {
  if (!value) return VARIANT_IDS.filter((id) => !REFERENCES.includes(id));
  const names = value.split(',').map((name) => name.trim().toLowerCase());
  const unknown = names.filter((name) => !(VARIANT_IDS as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new Error(`unknown variant(s): ${unknown.join(', ')} (known: ${VARIANT_IDS.join(', ')})`);
  return VARIANT_IDS.filter((id) => id === 'baseline' || names.includes(id));
}

export interface ServerTarget {
  url: string;
  projectId: number;
  apiKey: string;
}

/** What one build child does, passed as JSON in argv. */
export interface BuildJob {
  bundler: Bundler;
  variant: VariantId;
  /** The generated app's folder and entry (relative). */
  root: string;
  entry: string;
  outDir: string;
  /** For `upload`: a fresh project on the local server. */
  server?: ServerTarget;
  /** For `posthog`: an executable standing in for posthog-cli. */
  stubCli: string;
  /** hogmaps' release version and mode (default `1.0.0`, event mode), for successive releases. */
  release?: { version: string; mode: 'event' | 'symbol-set' };
  /** Time the upload from inside the build (children/upload-probe.ts) and report what it sent. */
  probeUpload?: boolean;
}

/** What a probed build's finish did (chunk ids as the session reported them) and what it cost. */
export interface UploadProbe {
  /** Wall and CPU time (all threads of the build process) of the finish: packing, requests, manifest. */
  ms: number;
  cpuMs: number;
  /** CPU time of the build's main thread during the finish (Linux). */
  mainCpuMs?: number;
  /** RSS when the finish started, and its peak during the finish, in bytes. */
  rssBefore: number;
  rssPeak: number;
  /** Chunks the build handed to the session. */
  chunks: number;
  uploaded: string[];
  /** The uploaded chunks' JS files and maps, to time packing them on one core afterwards. */
  uploadedFiles: PairFiles[];
  alreadyPresent: string[];
  failed: string[];
  /** Container bytes sent to object storage. */
  bytes: number;
  requests: number;
  skippedBecause?: string;
}

/** What a build child reports back. */
export interface BuildReport {
  /** From process start to the end of the build, as the child saw it. */
  childMs: number;
  /** CPU time (user + system) of the build process, all threads, plus its child processes, in ms. */
  cpuMs: number;
  /**
   * The two parts of cpuMs. System time is mostly the kernel handing out fresh memory, and on a VM
   * that returns freed memory to its host (machine.ts) it swings by seconds from one run to the next
   * whatever the build does: user time is the steadier figure of a plugin's own work.
   */
  userMs: number;
  systemMs: number;
  /** The child's own peak RSS (kernel high-water mark), in bytes. */
  maxRss: number;
  warnings: string[];
  /** For a job with `probeUpload`. */
  upload?: UploadProbe;
}
