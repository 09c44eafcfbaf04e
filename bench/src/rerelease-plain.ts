// The re-release steps built without any plugin (same bundler config), once per bundler: what the
// bundler itself changes between releases, so that the table can tell it from what hogmaps adds.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { type BuildEnvironment, forkBuild } from './builds';
import {
  beyondPlain,
  compareOutputs,
  fingerprintOutput,
  mapBytesOf,
  type OutputChanges,
  type PlainChunks,
  plainChunks,
} from './output-changes';
import type { ReleaseSample, ReleaseStepName } from './rerelease';
import type { Bundler } from './variants';

/**
 * A step built without any plugin (same bundler config), against the same build of A: what the
 * bundler itself changes. Deterministic, so built once per bundler (not per mode or round).
 */
export interface PlainStep extends OutputChanges {
  bundler: Bundler;
  step: ReleaseStepName;
  jsFiles: number;
  /** Size of the maps of the changed and renamed JS files: what an upload of only those would read. */
  changedMapBytes: number;
}

/** The plain (no plugin) builds: A's fingerprints per bundler, the steps, and each step's chunks. */
export interface PlainBuilds {
  a: Map<Bundler, Map<string, string>>;
  steps: PlainStep[];
  /** By `bundler/step`. */
  chunks: Map<string, PlainChunks>;
}

/** What a plain build needs: the app's copy, the bundler, and the plain builds shared by every series. */
export interface PlainTarget {
  options: BuildEnvironment;
  root: string;
  bundler: Bundler;
  plain: PlainBuilds;
}

/** Builds `step` of the target's bundler without any plugin (once per bundler) and records it against A. */
export async function buildPlain(target: PlainTarget, step: ReleaseStepName): Promise<void> {
  const { options, bundler, plain } = target;
  if (plain.steps.some((done) => done.bundler === bundler && done.step === step)) return;
  if (step !== 'A' && !plain.a.has(bundler)) return;
  const outDir = path.join(options.workDir, 'out', `rerelease-${bundler}-plain-${step === 'A' ? 'A' : 'B'}`);
  await rm(outDir, { recursive: true, force: true });
  try {
    await forkBuild(options.buildScript, {
      bundler,
      variant: 'baseline',
      root: target.root,
      entry: options.app.entry,
      outDir,
      stubCli: options.stubCli,
    });
    const files = await fingerprintOutput(outDir);
    const changes =
      step === 'A' ? { changedInPlace: [], renamed: [] } : compareOutputs(plain.a.get(bundler)!, files);
    if (step === 'A') plain.a.set(bundler, files);
    plain.chunks.set(`${bundler}/${step}`, await plainChunks(outDir, changes));
    const changed = [...changes.changedInPlace, ...changes.renamed];
    plain.steps.push({
      bundler,
      step,
      jsFiles: files.size,
      ...changes,
      changedMapBytes: await mapBytesOf(outDir, changed),
    });
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** Of the sets a step uploaded, those for chunks the same step without a plugin leaves unchanged. */
export async function beyondBundler(
  target: PlainTarget,
  step: ReleaseStepName,
  outDir: string,
  uploaded: ReadonlySet<string>,
): Promise<Pick<ReleaseSample, 'beyondBundler' | 'unmatched'>> {
  const plain = target.plain.chunks.get(`${target.bundler}/${step}`);
  if (!plain) return {};
  const { beyond, unmatched } = await beyondPlain(outDir, uploaded, plain);
  return { beyondBundler: beyond, unmatched };
}
