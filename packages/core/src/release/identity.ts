import type { CiProviderName } from './ci/provider';
import { detectCiProvider } from './ci/registry';
import { readGitInfo } from './git';
import { computeReleaseHashId, packVersion } from './hash';
import { readNearestPackageJson } from './package-json';

/** Where a release field came from, for debug logs. */
export type ReleaseSource = 'option' | `ci:${CiProviderName}` | 'git' | 'package.json';

// Type aliases rather than interfaces: they stay assignable to JSON-object types (`Record<string, unknown>`).

/** The `metadata.git` object PostHog's CLI sends; absent keys are omitted, never null. */
export type ReleaseGitMetadata = {
  remote_url?: string;
  repo_name?: string;
  branch?: string;
  commit_id?: string;
};

export type ReleaseMetadata = {
  git?: ReleaseGitMetadata;
};

export interface ReleaseIdentity {
  /** Sent as the API field `project`. */
  name: string;
  /** Packed with the build: `version+build`. */
  version: string;
  /** computeReleaseHashId(name, version). */
  hashId: string;
  /** Undefined when there is nothing to send (PostHog omits empty metadata). */
  metadata: ReleaseMetadata | undefined;
  sources: { name: ReleaseSource; version: ReleaseSource };
}

export interface DetectReleaseIdentityInput {
  name?: string;
  version?: string;
  build?: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

interface Sourced {
  value: string;
  source: ReleaseSource;
}

function sourced(value: string | undefined, source: ReleaseSource): Sourced | undefined {
  const trimmed = value?.trim();
  return trimmed ? { value: trimmed, source } : undefined;
}

/**
 * Finds the release this build belongs to, once per process. Each field takes the first of: explicit
 * option > CI provider variables (a pull request's head commit, not its merge commit) > the local `.git`
 * > the nearest package.json. As in PostHog's CLI the name defaults to the repository name and the
 * version to the full commit SHA; package.json's name and version are used only where git knows
 * nothing. Repository-level facts (remote, repo name) fill in from `.git` whatever the CI said; the
 * branch is taken from `.git` only when `.git` is at the commit being reported.
 *
 * Returns undefined when no name or no version can be found (the caller then uploads unbound symbol
 * sets or injects chunk ids only, with a warning).
 */
export function detectReleaseIdentity(input: DetectReleaseIdentityInput): ReleaseIdentity | undefined {
  const ci = detectCiProvider(input.env);
  const ciSource: ReleaseSource | undefined = ci ? `ci:${ci.provider}` : undefined;
  const git = readGitInfo(input.cwd);

  const commit = (ciSource && sourced(ci?.commit, ciSource)) || sourced(git?.commit, 'git');
  // .git's branch describes .git's commit: usable unless the CI reported a different commit.
  const gitBranchApplies = !ci?.commit || ci.commit === git?.commit;
  const branch = ci?.branch ?? (gitBranchApplies ? git?.branch : undefined);
  const repoName = (ciSource && sourced(ci?.repoName, ciSource)) || sourced(git?.repoName, 'git');
  const remoteUrl = ci?.remoteUrl ?? git?.remoteUrl;

  let name = sourced(input.name, 'option') ?? repoName;
  let baseVersion = sourced(input.version, 'option') ?? commit;
  if (!name || !baseVersion) {
    const pkg = readNearestPackageJson(input.cwd);
    name ??= sourced(pkg?.name, 'package.json');
    baseVersion ??= sourced(pkg?.version, 'package.json');
  }
  const build = input.build?.trim();
  const version = packVersion(baseVersion?.value, build);
  if (!name || !version) return undefined;

  const gitMetadata: ReleaseGitMetadata = {};
  if (remoteUrl) gitMetadata.remote_url = remoteUrl;
  if (repoName) gitMetadata.repo_name = repoName.value;
  if (branch) gitMetadata.branch = branch;
  if (commit) gitMetadata.commit_id = commit.value;

  return {
    name: name.value,
    version,
    hashId: computeReleaseHashId(name.value, version),
    metadata: Object.keys(gitMetadata).length > 0 ? { git: gitMetadata } : undefined,
    sources: { name: name.source, version: baseVersion?.source ?? 'option' },
  };
}
