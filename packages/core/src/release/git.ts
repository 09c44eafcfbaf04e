import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { type GitConfigEntry, getConfigValue, parseGitConfig } from './git-config';
import { repoNameFromRemoteUrl, sanitizeRemoteUrl } from './remote-url';

/** What the local checkout says about itself, read from `.git` on disk (no `git` process). */
export interface GitInfo {
  /** The working tree: the directory holding `.git`. */
  workTree: string;
  /** This checkout's git dir (`.git`, or `.git/worktrees/<name>` for a linked worktree). */
  gitDir: string;
  /** Where shared refs, packed-refs and config live (`commondir`); equals gitDir for a plain repo. */
  commonDir: string;
  /** Full SHA of HEAD; undefined on an unborn branch or with the reftable ref store. */
  commit?: string;
  /**
   * Branch HEAD points at, without `refs/heads/`. Undefined when HEAD is detached: PostHog's CLI
   * reports the placeholder `HEAD-detached` there, which we leave out of metadata rather than send a
   * branch name that does not exist (CI variables usually name the real branch).
   */
  branch?: string;
  detached: boolean;
  /** The `origin` remote (else the first remote), with credentials, query and fragment removed. */
  remoteUrl?: string;
  /** Last path segment of the remote without `.git`, else the working tree's directory name. */
  repoName: string;
}

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
const MAX_SYMREF_DEPTH = 5;

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Walks up from `cwd` to the first `.git` directory, or `.git` file (`gitdir: …`) of a worktree or submodule. */
function findGitDir(cwd: string): { workTree: string; gitDir: string } | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const dotGit = join(dir, '.git');
    if (isDirectory(dotGit) && isFile(join(dotGit, 'HEAD'))) return { workTree: dir, gitDir: dotGit };
    if (isFile(dotGit)) {
      const target = /^gitdir:\s*(.+?)\s*$/m.exec(readText(dotGit) ?? '')?.[1];
      const gitDir = target === undefined ? undefined : resolve(dir, target);
      if (gitDir && isFile(join(gitDir, 'HEAD'))) return { workTree: dir, gitDir };
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

interface PackedRef {
  sha: string;
  /** The commit an annotated tag points at (the `^<sha>` line after it). */
  peeled?: string;
}

function readPackedRefs(commonDir: string): Map<string, PackedRef> {
  const refs = new Map<string, PackedRef>();
  let last: PackedRef | undefined;
  for (const line of (readText(join(commonDir, 'packed-refs')) ?? '').split(/\r?\n/)) {
    if (line.startsWith('^')) {
      const peeled = line.slice(1).trim();
      if (last && SHA.test(peeled)) last.peeled = peeled;
      continue;
    }
    const match = /^([0-9a-f]{40}(?:[0-9a-f]{24})?) (\S+)$/.exec(line.trim());
    last = undefined;
    if (match) {
      last = { sha: match[1]! };
      refs.set(match[2]!, last);
    }
  }
  return refs;
}

function resolveRef(
  refName: string,
  dirs: readonly string[],
  commonDir: string,
  depth = 0,
): string | undefined {
  // Only real ref names: HEAD's content must not send us reading arbitrary files.
  if (depth > MAX_SYMREF_DEPTH || !refName.startsWith('refs/') || refName.split('/').includes('..')) {
    return undefined;
  }
  // Loose refs win over packed ones; per-worktree refs live in the worktree's own git dir.
  for (const dir of dirs) {
    const content = readText(join(dir, refName))?.trim();
    if (content === undefined) continue;
    if (SHA.test(content)) return content;
    const target = /^ref:\s*(\S+)$/.exec(content)?.[1];
    if (target) return resolveRef(target, dirs, commonDir, depth + 1);
  }
  const packed = readPackedRefs(commonDir).get(refName);
  return packed ? (packed.peeled ?? packed.sha) : undefined;
}

function readConfig(gitDir: string, commonDir: string): GitConfigEntry[] {
  const entries = parseGitConfig(readText(join(commonDir, 'config')) ?? '');
  const worktreeConfig = getConfigValue(entries, 'extensions', 'worktreeconfig');
  if (worktreeConfig === true || /^(?:true|yes|on|1)$/i.test(worktreeConfig ?? '')) {
    entries.push(...parseGitConfig(readText(join(gitDir, 'config.worktree')) ?? ''));
  }
  return entries;
}

/** `[remote "origin"] url`, else the first remote's url, in file order. */
function pickRemoteUrl(entries: readonly GitConfigEntry[]): string | undefined {
  const urls = entries.filter(
    (entry): entry is GitConfigEntry & { value: string } =>
      entry.section === 'remote' &&
      entry.subsection !== undefined &&
      entry.key === 'url' &&
      typeof entry.value === 'string',
  );
  return (urls.find((entry) => entry.subsection === 'origin') ?? urls[0])?.value;
}

/**
 * Reads the repository containing `cwd` from disk: HEAD (loose refs, packed-refs with peeled lines,
 * symbolic refs), linked worktrees and submodules (`gitdir:` files, `commondir`), and the remote from the
 * config. Returns undefined when no `.git` is found walking up.
 */
export function readGitInfo(cwd: string): GitInfo | undefined {
  const found = findGitDir(cwd);
  if (!found) return undefined;
  const { workTree, gitDir } = found;
  const commonDirText = readText(join(gitDir, 'commondir'))?.trim();
  const commonDir = commonDirText ? resolve(gitDir, commonDirText) : gitDir;
  const config = readConfig(gitDir, commonDir);
  const dirs = gitDir === commonDir ? [gitDir] : [gitDir, commonDir];

  const head = readText(join(gitDir, 'HEAD'))?.trim() ?? '';
  const symbolic = /^ref:\s*(\S+)$/.exec(head)?.[1];
  // The reftable store keeps refs in binary tables and leaves a `refs/heads/.invalid` stub in HEAD.
  const reftable = String(getConfigValue(config, 'extensions', 'refstorage')).toLowerCase() === 'reftable';
  let commit: string | undefined;
  let branch: string | undefined;
  if (symbolic && !reftable) {
    branch = symbolic.replace(/^refs\/heads\//, '');
    commit = resolveRef(symbolic, dirs, commonDir);
  } else if (SHA.test(head)) {
    commit = head;
  }

  const remoteUrl = sanitizeRemoteUrl(pickRemoteUrl(config));
  return {
    workTree,
    gitDir,
    commonDir,
    ...(commit ? { commit } : {}),
    ...(branch ? { branch } : {}),
    detached: !symbolic && commit !== undefined,
    ...(remoteUrl ? { remoteUrl } : {}),
    repoName: repoNameFromRemoteUrl(remoteUrl) ?? basename(workTree),
  };
}
