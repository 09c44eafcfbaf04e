import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { git } from '../../test/helpers/git';
import { readGitInfo } from './git';

const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'hogmaps-git-')));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let counter = 0;
/** A fresh repository on `main` with one commit. */
function createRepo(name = `repo-${++counter}`): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'a.txt'), 'a');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'first');
  return dir;
}

describe('readGitInfo', () => {
  it('reads a loose branch ref, from a nested directory too', () => {
    const repo = createRepo('my-app');
    const sha = git(repo, 'rev-parse', 'HEAD');
    mkdirSync(join(repo, 'packages', 'web'), { recursive: true });
    for (const cwd of [repo, join(repo, 'packages', 'web')]) {
      expect(readGitInfo(cwd)).toEqual({
        workTree: repo,
        gitDir: join(repo, '.git'),
        commonDir: join(repo, '.git'),
        commit: sha,
        branch: 'main',
        detached: false,
        repoName: 'my-app',
      });
    }
  });

  it('resolves packed refs once the loose ref is gone', () => {
    const repo = createRepo();
    git(repo, 'checkout', '-q', '-b', 'feature/packed');
    const sha = git(repo, 'rev-parse', 'HEAD');
    git(repo, 'pack-refs', '--all');
    expect(existsSync(join(repo, '.git', 'refs', 'heads', 'feature', 'packed'))).toBe(false);
    expect(readGitInfo(repo)).toMatchObject({ commit: sha, branch: 'feature/packed' });
  });

  it('prefers a loose ref over a stale packed one', () => {
    const repo = createRepo();
    git(repo, 'pack-refs', '--all');
    writeFileSync(join(repo, 'b.txt'), 'b');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'second');
    expect(readGitInfo(repo)?.commit).toBe(git(repo, 'rev-parse', 'HEAD'));
  });

  it('uses the peeled commit of a packed annotated tag', () => {
    const repo = createRepo();
    git(repo, 'tag', '-a', 'v1', '-m', 'v1');
    git(repo, 'pack-refs', '--all');
    writeFileSync(join(repo, '.git', 'HEAD'), 'ref: refs/tags/v1\n');
    const info = readGitInfo(repo);
    expect(info?.commit).toBe(git(repo, 'rev-parse', 'v1^{commit}'));
    expect(info?.commit).not.toBe(git(repo, 'rev-parse', 'v1'));
  });

  it('reads a linked worktree through its gitdir file and commondir', () => {
    const repo = createRepo('main-checkout');
    git(repo, 'remote', 'add', 'origin', 'git@github.com:acme/monorepo.git');
    const worktree = join(tmp, 'wt-feature');
    git(repo, 'worktree', 'add', '-q', '-b', 'feature', worktree);
    writeFileSync(join(worktree, 'b.txt'), 'b');
    git(worktree, 'add', '.');
    git(worktree, 'commit', '-q', '-m', 'on feature');
    git(repo, 'pack-refs', '--all');
    const info = readGitInfo(worktree);
    expect(info).toMatchObject({
      workTree: worktree,
      commonDir: join(repo, '.git'),
      commit: git(worktree, 'rev-parse', 'HEAD'),
      branch: 'feature',
      detached: false,
      remoteUrl: 'git@github.com:acme/monorepo.git',
      repoName: 'monorepo',
    });
    expect(info?.gitDir).toBe(join(repo, '.git', 'worktrees', basename(worktree)));
    // The main checkout still reports its own branch.
    expect(readGitInfo(repo)?.branch).toBe('main');
  });

  it('reads a separate git dir (the submodule layout)', () => {
    const dir = join(tmp, 'separate');
    mkdirSync(dir);
    git(dir, 'init', '-q', '-b', 'main', '--separate-git-dir', join(tmp, 'separate.gitdir'));
    writeFileSync(join(dir, 'a.txt'), 'a');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'first');
    expect(readGitInfo(dir)).toMatchObject({
      workTree: dir,
      gitDir: join(tmp, 'separate.gitdir'),
      commit: git(dir, 'rev-parse', 'HEAD'),
      branch: 'main',
    });
  });

  it('reports a detached HEAD with its commit and no branch', () => {
    const repo = createRepo();
    const sha = git(repo, 'rev-parse', 'HEAD');
    git(repo, 'checkout', '-q', '--detach');
    const info = readGitInfo(repo);
    expect(info).toMatchObject({ commit: sha, detached: true });
    expect(info).not.toHaveProperty('branch');
  });

  it('reports an unborn branch without a commit', () => {
    const dir = join(tmp, 'unborn');
    mkdirSync(dir);
    git(dir, 'init', '-q', '-b', 'trunk');
    const info = readGitInfo(dir);
    expect(info).toMatchObject({ branch: 'trunk', detached: false, repoName: 'unborn' });
    expect(info).not.toHaveProperty('commit');
  });

  it('strips credentials, query and fragment from the remote', () => {
    const repo = createRepo();
    git(repo, 'remote', 'add', 'origin', 'https://user:tok@host/acme/app.git?x=1#y');
    expect(readGitInfo(repo)).toMatchObject({ remoteUrl: 'https://host/acme/app.git', repoName: 'app' });
  });

  it('prefers origin over other remotes, else takes the first', () => {
    const repo = createRepo();
    git(repo, 'remote', 'add', 'upstream', 'https://github.com/other/fork.git');
    git(repo, 'remote', 'add', 'mirror', 'https://example.com/mirror/copy');
    expect(readGitInfo(repo)).toMatchObject({
      remoteUrl: 'https://github.com/other/fork.git',
      repoName: 'fork',
    });
    git(repo, 'remote', 'add', 'origin', 'https://github.com/acme/real');
    expect(readGitInfo(repo)).toMatchObject({
      remoteUrl: 'https://github.com/acme/real.git',
      repoName: 'real',
    });
  });

  it('gives no commit with the reftable ref store instead of misreading its HEAD stub', () => {
    const repo = createRepo();
    git(repo, 'config', 'extensions.refStorage', 'reftable');
    writeFileSync(join(repo, '.git', 'HEAD'), 'ref: refs/heads/.invalid\n');
    const info = readGitInfo(repo);
    expect(info).not.toHaveProperty('commit');
    expect(info).not.toHaveProperty('branch');
  });

  it('does not follow a HEAD that points outside refs/', () => {
    const repo = createRepo();
    writeFileSync(join(repo, '.git', 'HEAD'), 'ref: ../../a.txt\n');
    expect(readGitInfo(repo)).not.toHaveProperty('commit');
  });

  it('skips a broken .git file and finds the repository above', () => {
    const repo = createRepo();
    const nested = join(repo, 'vendored');
    mkdirSync(nested);
    writeFileSync(join(nested, '.git'), 'not a gitdir line\n');
    expect(readGitInfo(nested)?.workTree).toBe(repo);
  });

  it('gives undefined outside any repository', () => {
    const dir = join(tmp, 'plain');
    mkdirSync(dir);
    expect(readGitInfo(dir)).toBeUndefined();
  });
});
