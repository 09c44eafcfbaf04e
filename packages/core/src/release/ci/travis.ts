import { asCommit, type CiProvider, ciInfo, envValue, lastSegment } from './provider';

// https://docs.travis-ci.com/user/environment-variables/#default-environment-variables
export const travis: CiProvider = {
  name: 'travis',
  detect(env) {
    if (env.TRAVIS !== 'true') return undefined;
    return ciInfo('travis', {
      // In pull-request builds TRAVIS_COMMIT is the merge commit and TRAVIS_BRANCH the target branch.
      commit: asCommit(envValue(env, 'TRAVIS_PULL_REQUEST_SHA', 'TRAVIS_COMMIT')),
      branch: envValue(env, 'TRAVIS_PULL_REQUEST_BRANCH', 'TRAVIS_BRANCH'),
      repoName: lastSegment(envValue(env, 'TRAVIS_REPO_SLUG')),
    });
  },
};
