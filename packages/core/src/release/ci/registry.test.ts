import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CI_PROVIDERS, detectCiProvider } from './registry';

const HEAD = 'a'.repeat(40);
const MERGE = 'b'.repeat(40);
const tmp = mkdtempSync(join(tmpdir(), 'hogmaps-ci-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function eventFile(event: unknown): string {
  const path = join(tmp, `event-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(event));
  return path;
}

describe('detectCiProvider', () => {
  it('finds nothing outside CI', () => {
    expect(detectCiProvider({ CI: 'true', HOME: '/root' })).toBeUndefined();
  });

  it('lists every provider once', () => {
    const names = CI_PROVIDERS.map((provider) => provider.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(12);
  });

  describe('GitHub Actions', () => {
    const base = {
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'acme/web-app',
      GITHUB_SERVER_URL: 'https://github.com',
    };

    it('uses GITHUB_SHA and GITHUB_REF_NAME on a push', () => {
      expect(
        detectCiProvider({ ...base, GITHUB_EVENT_NAME: 'push', GITHUB_SHA: HEAD, GITHUB_REF_NAME: 'main' }),
      ).toEqual({
        provider: 'github-actions',
        commit: HEAD,
        branch: 'main',
        repoName: 'web-app',
        remoteUrl: 'https://github.com/acme/web-app.git',
      });
    });

    it('takes the pull request head commit from the event file, not the merge commit', () => {
      const info = detectCiProvider({
        ...base,
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: eventFile({ pull_request: { head: { sha: HEAD, ref: 'feature/x' } } }),
        GITHUB_SHA: MERGE,
        GITHUB_REF_NAME: '12/merge',
        GITHUB_HEAD_REF: 'feature/x',
      });
      expect(info?.commit).toBe(HEAD);
      expect(info?.branch).toBe('feature/x');
    });

    it('falls back to the event head ref when GITHUB_HEAD_REF is not set (review events)', () => {
      const info = detectCiProvider({
        ...base,
        GITHUB_EVENT_NAME: 'pull_request_review',
        GITHUB_EVENT_PATH: eventFile({ pull_request: { head: { sha: HEAD, ref: 'fix/y' } } }),
        GITHUB_SHA: MERGE,
        GITHUB_REF_NAME: '12/merge',
      });
      expect(info).toMatchObject({ commit: HEAD, branch: 'fix/y' });
    });

    it('keeps GITHUB_SHA for pull_request_target, which builds the base branch', () => {
      const info = detectCiProvider({
        ...base,
        GITHUB_EVENT_NAME: 'pull_request_target',
        GITHUB_EVENT_PATH: eventFile({ pull_request: { head: { sha: HEAD, ref: 'feature/x' } } }),
        GITHUB_SHA: MERGE,
        GITHUB_REF_NAME: 'main',
        GITHUB_HEAD_REF: 'feature/x',
      });
      expect(info).toMatchObject({ commit: MERGE, branch: 'main' });
    });

    it('falls back to GITHUB_SHA when the event file is missing or malformed', () => {
      const broken = join(tmp, 'broken.json');
      writeFileSync(broken, '{not json');
      for (const path of [broken, join(tmp, 'missing.json')]) {
        const info = detectCiProvider({
          ...base,
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: path,
          GITHUB_SHA: MERGE,
          GITHUB_HEAD_REF: 'feature/x',
        });
        expect(info).toMatchObject({ commit: MERGE, branch: 'feature/x' });
      }
    });

    it('builds the remote from a GitHub Enterprise server URL', () => {
      const info = detectCiProvider({
        ...base,
        GITHUB_SERVER_URL: 'https://ghe.example.com/',
        GITHUB_SHA: HEAD,
      });
      expect(info?.remoteUrl).toBe('https://ghe.example.com/acme/web-app.git');
    });
  });

  it('GitLab CI: merged-results pipelines report the source branch head', () => {
    const env = {
      GITLAB_CI: 'true',
      CI_COMMIT_SHA: MERGE,
      CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: HEAD,
      CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'feature/x',
      CI_COMMIT_REF_NAME: 'refs/merge-requests/3/merge',
      CI_PROJECT_NAME: 'app',
      CI_PROJECT_URL: 'https://gitlab.com/group/app',
      CI_REPOSITORY_URL: 'https://gitlab-ci-token:secret@gitlab.com/group/app.git',
    };
    expect(detectCiProvider(env)).toEqual({
      provider: 'gitlab-ci',
      commit: HEAD,
      branch: 'feature/x',
      repoName: 'app',
      remoteUrl: 'https://gitlab.com/group/app.git',
    });
    // Merge request pipelines leave the source SHA empty: CI_COMMIT_SHA is the head there.
    const plain = {
      GITLAB_CI: 'true',
      CI_COMMIT_SHA: HEAD,
      CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: '',
      CI_COMMIT_BRANCH: 'main',
    };
    expect(detectCiProvider(plain)).toMatchObject({ commit: HEAD, branch: 'main' });
  });

  it('CircleCI', () => {
    expect(
      detectCiProvider({
        CIRCLECI: 'true',
        CIRCLE_SHA1: HEAD,
        CIRCLE_BRANCH: 'main',
        CIRCLE_PROJECT_REPONAME: 'app',
        CIRCLE_REPOSITORY_URL: 'git@github.com:acme/app.git',
      }),
    ).toEqual({
      provider: 'circleci',
      commit: HEAD,
      branch: 'main',
      repoName: 'app',
      remoteUrl: 'git@github.com:acme/app.git',
    });
  });

  it.each([
    ['github', 'https://github.com/acme/shop.git'],
    ['gitlab', 'https://gitlab.com/acme/shop.git'],
    ['bitbucket', 'https://bitbucket.org/acme/shop.git'],
  ])('Vercel with a %s repository', (gitProvider, remoteUrl) => {
    expect(
      detectCiProvider({
        VERCEL: '1',
        VERCEL_GIT_PROVIDER: gitProvider,
        VERCEL_GIT_REPO_OWNER: 'acme',
        VERCEL_GIT_REPO_SLUG: 'shop',
        VERCEL_GIT_COMMIT_SHA: HEAD,
        VERCEL_GIT_COMMIT_REF: 'preview/x',
      }),
    ).toEqual({ provider: 'vercel', commit: HEAD, branch: 'preview/x', repoName: 'shop', remoteUrl });
  });

  it('Vercel without git information still detects the provider', () => {
    expect(detectCiProvider({ VERCEL: '1' })).toEqual({ provider: 'vercel' });
  });

  it('Netlify: head branch name, token stripped from REPOSITORY_URL', () => {
    expect(
      detectCiProvider({
        NETLIFY: 'true',
        COMMIT_REF: HEAD,
        BRANCH: 'pull/7/head',
        HEAD: 'feature/x',
        REPOSITORY_URL: 'https://x-access-token:v1.abc@github.com/acme/site',
      }),
    ).toEqual({
      provider: 'netlify',
      commit: HEAD,
      branch: 'feature/x',
      repoName: 'site',
      remoteUrl: 'https://github.com/acme/site.git',
    });
  });

  it('Bitbucket Pipelines', () => {
    expect(
      detectCiProvider({
        BITBUCKET_BUILD_NUMBER: '12',
        BITBUCKET_COMMIT: HEAD,
        BITBUCKET_BRANCH: 'feature/x',
        BITBUCKET_REPO_SLUG: 'app',
        BITBUCKET_GIT_HTTP_ORIGIN: 'http://bitbucket.org/acme/app',
      }),
    ).toEqual({
      provider: 'bitbucket-pipelines',
      commit: HEAD,
      branch: 'feature/x',
      repoName: 'app',
      remoteUrl: 'http://bitbucket.org/acme/app.git',
    });
  });

  it('Buildkite, ignoring a literal HEAD commit', () => {
    const env = {
      BUILDKITE: 'true',
      BUILDKITE_COMMIT: HEAD,
      BUILDKITE_BRANCH: 'main',
      BUILDKITE_REPO: 'git@github.com:acme/app.git',
    };
    expect(detectCiProvider(env)).toEqual({
      provider: 'buildkite',
      commit: HEAD,
      branch: 'main',
      repoName: 'app',
      remoteUrl: 'git@github.com:acme/app.git',
    });
    expect(detectCiProvider({ ...env, BUILDKITE_COMMIT: 'HEAD' })?.commit).toBeUndefined();
  });

  it('Azure Pipelines: pull request source commit and branch', () => {
    const env = {
      TF_BUILD: 'True',
      BUILD_SOURCEVERSION: MERGE,
      BUILD_SOURCEBRANCH: 'refs/pull/4/merge',
      SYSTEM_PULLREQUEST_PULLREQUESTID: '4',
      SYSTEM_PULLREQUEST_SOURCECOMMITID: HEAD,
      SYSTEM_PULLREQUEST_SOURCEBRANCH: 'refs/heads/feature/x',
      BUILD_REPOSITORY_NAME: 'acme/app',
      BUILD_REPOSITORY_URI: 'https://acme@dev.azure.com/acme/proj/_git/app',
    };
    expect(detectCiProvider(env)).toEqual({
      provider: 'azure-pipelines',
      commit: HEAD,
      branch: 'feature/x',
      repoName: 'app',
      remoteUrl: 'https://dev.azure.com/acme/proj/_git/app.git',
    });
    const push = {
      TF_BUILD: 'True',
      BUILD_SOURCEVERSION: HEAD,
      BUILD_SOURCEBRANCH: 'refs/heads/main',
      BUILD_REPOSITORY_NAME: 'app',
    };
    expect(detectCiProvider(push)).toEqual({
      provider: 'azure-pipelines',
      commit: HEAD,
      branch: 'main',
      repoName: 'app',
    });
  });

  it('Jenkins: multibranch pull request and plain Git plugin variables', () => {
    expect(
      detectCiProvider({
        JENKINS_URL: 'https://ci.example.com/',
        GIT_COMMIT: HEAD,
        BRANCH_NAME: 'PR-3',
        CHANGE_BRANCH: 'feature/x',
        GIT_URL: 'https://bot:token@github.com/acme/app.git',
      }),
    ).toEqual({
      provider: 'jenkins',
      commit: HEAD,
      branch: 'feature/x',
      repoName: 'app',
      remoteUrl: 'https://github.com/acme/app.git',
    });
    expect(
      detectCiProvider({
        JENKINS_URL: 'https://ci.example.com/',
        GIT_COMMIT: MERGE,
        GIT_BRANCH: 'origin/main',
      }),
    ).toMatchObject({ commit: MERGE, branch: 'main' });
    expect(
      detectCiProvider({
        JENKINS_URL: 'https://ci.example.com/',
        GIT_COMMIT: MERGE,
        ghprbActualCommit: HEAD,
        ghprbSourceBranch: 'feature/y',
      }),
    ).toMatchObject({ commit: HEAD, branch: 'feature/y' });
  });

  it('Cloudflare Pages and Workers Builds', () => {
    expect(detectCiProvider({ CF_PAGES: '1', CF_PAGES_COMMIT_SHA: HEAD, CF_PAGES_BRANCH: 'main' })).toEqual({
      provider: 'cloudflare-pages',
      commit: HEAD,
      branch: 'main',
    });
    expect(
      detectCiProvider({ WORKERS_CI: '1', WORKERS_CI_COMMIT_SHA: HEAD, WORKERS_CI_BRANCH: 'dev' }),
    ).toEqual({
      provider: 'cloudflare-workers',
      commit: HEAD,
      branch: 'dev',
    });
  });

  it('Travis: pull request head commit and source branch', () => {
    expect(
      detectCiProvider({
        TRAVIS: 'true',
        TRAVIS_COMMIT: MERGE,
        TRAVIS_BRANCH: 'main',
        TRAVIS_PULL_REQUEST: '9',
        TRAVIS_PULL_REQUEST_SHA: HEAD,
        TRAVIS_PULL_REQUEST_BRANCH: 'feature/x',
        TRAVIS_REPO_SLUG: 'acme/app',
      }),
    ).toEqual({ provider: 'travis', commit: HEAD, branch: 'feature/x', repoName: 'app' });
    expect(
      detectCiProvider({
        TRAVIS: 'true',
        TRAVIS_COMMIT: HEAD,
        TRAVIS_BRANCH: 'main',
        TRAVIS_PULL_REQUEST: 'false',
        TRAVIS_PULL_REQUEST_SHA: '',
        TRAVIS_PULL_REQUEST_BRANCH: '',
      }),
    ).toMatchObject({ commit: HEAD, branch: 'main' });
  });

  it('lowercases commits and ignores values that are not commits', () => {
    expect(detectCiProvider({ CF_PAGES: '1', CF_PAGES_COMMIT_SHA: 'ABCDEF1234567' })?.commit).toBe(
      'abcdef1234567',
    );
    expect(detectCiProvider({ CF_PAGES: '1', CF_PAGES_COMMIT_SHA: 'v1.2.3' })?.commit).toBeUndefined();
  });

  it('prefers GitHub Actions over Vercel when both are set', () => {
    expect(detectCiProvider({ GITHUB_ACTIONS: 'true', VERCEL: '1' })?.provider).toBe('github-actions');
  });
});
