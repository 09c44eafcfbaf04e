import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { git } from '../../test/helpers/git';
import { FileError } from '../errors';
import { computeReleaseHashId } from './hash';
import { detectReleaseIdentity } from './identity';
import { readNearestPackageJson } from './package-json';

const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'hogmaps-identity-')));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let counter = 0;
function freshDir(name = `dir-${++counter}`): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function createRepo(remote?: string): { dir: string; sha: string } {
  const dir = freshDir();
  git(dir, 'init', '-q', '-b', 'main');
  if (remote) git(dir, 'remote', 'add', 'origin', remote);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@acme/web', version: '1.2.3' }));
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'first');
  return { dir, sha: git(dir, 'rev-parse', 'HEAD') };
}

const HEAD = 'c'.repeat(40);
const MERGE = 'd'.repeat(40);

describe('detectReleaseIdentity', () => {
  it('defaults to the git repo name and full commit SHA, with git metadata', () => {
    const { dir, sha } = createRepo('https://user:tok@github.com/acme/storefront.git');
    const identity = detectReleaseIdentity({ cwd: dir, env: {} });
    expect(identity).toEqual({
      name: 'storefront',
      version: sha,
      hashId: computeReleaseHashId('storefront', sha),
      metadata: {
        git: {
          remote_url: 'https://github.com/acme/storefront.git',
          repo_name: 'storefront',
          branch: 'main',
          commit_id: sha,
        },
      },
      sources: { name: 'git', version: 'git' },
    });
  });

  it('lets explicit options win and packs the build into the version', () => {
    const { dir, sha } = createRepo();
    const identity = detectReleaseIdentity({
      name: 'checkout',
      version: '4.0.0',
      build: '17',
      cwd: dir,
      env: { GITHUB_ACTIONS: 'true', GITHUB_SHA: HEAD, GITHUB_REPOSITORY: 'acme/app' },
    });
    expect(identity).toMatchObject({
      name: 'checkout',
      version: '4.0.0+17',
      hashId: computeReleaseHashId('checkout', '4.0.0+17'),
      sources: { name: 'option', version: 'option' },
    });
    // Metadata still describes the commit, from the CI provider.
    expect(identity?.metadata?.git?.commit_id).toBe(HEAD);
    expect(sha).not.toBe(HEAD);
  });

  it('prefers the CI pull request head over the local merge checkout', () => {
    const { dir } = createRepo('https://github.com/acme/local-name.git');
    const eventPath = join(freshDir(), 'event.json');
    writeFileSync(eventPath, JSON.stringify({ pull_request: { head: { sha: HEAD, ref: 'feature/x' } } }));
    const identity = detectReleaseIdentity({
      cwd: dir,
      env: {
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_SHA: MERGE,
        GITHUB_HEAD_REF: 'feature/x',
        GITHUB_REPOSITORY: 'acme/app',
        GITHUB_SERVER_URL: 'https://github.com',
      },
    });
    expect(identity).toMatchObject({
      name: 'app',
      version: HEAD,
      metadata: {
        git: {
          remote_url: 'https://github.com/acme/app.git',
          repo_name: 'app',
          branch: 'feature/x',
          commit_id: HEAD,
        },
      },
      sources: { name: 'ci:github-actions', version: 'ci:github-actions' },
    });
  });

  it('fills what the CI does not expose from .git', () => {
    const { dir, sha } = createRepo('git@github.com:acme/pages-site.git');
    const atSameCommit = detectReleaseIdentity({
      cwd: dir,
      env: { CF_PAGES: '1', CF_PAGES_COMMIT_SHA: sha },
    });
    expect(atSameCommit).toMatchObject({
      name: 'pages-site',
      version: sha,
      metadata: {
        git: {
          remote_url: 'git@github.com:acme/pages-site.git',
          repo_name: 'pages-site',
          branch: 'main',
          commit_id: sha,
        },
      },
      sources: { name: 'git', version: 'ci:cloudflare-pages' },
    });
    // When .git is at another commit, its branch would describe the wrong commit: leave it out.
    const elsewhere = detectReleaseIdentity({ cwd: dir, env: { CF_PAGES: '1', CF_PAGES_COMMIT_SHA: HEAD } });
    expect(elsewhere?.metadata?.git).toEqual({
      remote_url: 'git@github.com:acme/pages-site.git',
      repo_name: 'pages-site',
      commit_id: HEAD,
    });
  });

  it('omits the branch of a detached HEAD', () => {
    const { dir, sha } = createRepo();
    git(dir, 'checkout', '-q', '--detach');
    const identity = detectReleaseIdentity({ cwd: dir, env: {} });
    expect(identity?.metadata?.git).not.toHaveProperty('branch');
    expect(identity?.version).toBe(sha);
  });

  it('falls back to the nearest package.json when there is no git at all', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@acme/web', version: '1.2.3' }));
    const nested = join(dir, 'src', 'deep');
    mkdirSync(nested, { recursive: true });
    expect(detectReleaseIdentity({ cwd: nested, env: {}, build: '9' })).toEqual({
      name: '@acme/web',
      version: '1.2.3+9',
      hashId: computeReleaseHashId('@acme/web', '1.2.3+9'),
      metadata: undefined,
      sources: { name: 'package.json', version: 'package.json' },
    });
  });

  it('combines an explicit name with the package.json version', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'pkg', version: '0.0.1' }));
    expect(detectReleaseIdentity({ name: 'explicit', cwd: dir, env: {} })).toMatchObject({
      name: 'explicit',
      version: '0.0.1',
      sources: { name: 'option', version: 'package.json' },
    });
  });

  it('treats blank options as missing', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'pkg', version: '2.0.0' }));
    expect(detectReleaseIdentity({ name: '  ', version: '', build: '', cwd: dir, env: {} })).toMatchObject({
      name: 'pkg',
      version: '2.0.0',
    });
  });

  it('takes the version from package.json in a repository without commits', () => {
    const dir = freshDir('fresh-repo');
    git(dir, 'init', '-q', '-b', 'main');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'pkg', version: '0.1.0' }));
    expect(detectReleaseIdentity({ cwd: dir, env: {} })).toMatchObject({
      name: 'fresh-repo',
      version: '0.1.0',
      metadata: { git: { repo_name: 'fresh-repo', branch: 'main' } },
      sources: { name: 'git', version: 'package.json' },
    });
  });

  it('gives undefined when no name or no version can be found', () => {
    const empty = freshDir();
    expect(detectReleaseIdentity({ cwd: empty, env: {} })).toBeUndefined();
    expect(detectReleaseIdentity({ name: 'only-name', cwd: empty, env: {} })).toBeUndefined();
    const nameless = freshDir();
    writeFileSync(join(nameless, 'package.json'), JSON.stringify({ version: '1.0.0' }));
    expect(detectReleaseIdentity({ cwd: nameless, env: {} })).toBeUndefined();
  });

  it('uses the build alone as the version when nothing else gives one', () => {
    expect(detectReleaseIdentity({ name: 'app', build: '42', cwd: freshDir(), env: {} })).toMatchObject({
      version: '42',
      sources: { name: 'option', version: 'option' },
    });
  });

  it('reports an invalid package.json clearly', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'package.json'), '{ "name": ');
    expect(() => detectReleaseIdentity({ cwd: dir, env: {} })).toThrow(FileError);
    expect(() => detectReleaseIdentity({ cwd: dir, env: {} })).toThrow(
      `${join(dir, 'package.json')}: is not valid JSON`,
    );
  });
});

describe('readNearestPackageJson', () => {
  it('returns the nearest file even without name or version', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'outer', version: '1.0.0' }));
    const inner = join(dir, 'inner');
    mkdirSync(inner);
    writeFileSync(join(inner, 'package.json'), JSON.stringify({ private: true }));
    expect(readNearestPackageJson(inner)).toEqual({ path: join(inner, 'package.json') });
    expect(readNearestPackageJson(dir)).toEqual({
      path: join(dir, 'package.json'),
      name: 'outer',
      version: '1.0.0',
    });
  });

  it('ignores fields that are not strings', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 5, version: ['1'] }));
    expect(readNearestPackageJson(dir)).toEqual({ path: join(dir, 'package.json') });
  });

  it('gives undefined when there is none up to the root', () => {
    expect(readNearestPackageJson(freshDir())).toBeUndefined();
  });
});
