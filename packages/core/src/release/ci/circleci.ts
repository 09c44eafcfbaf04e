import { repoNameFromRemoteUrl, sanitizeRemoteUrl } from '../remote-url';
import { asCommit, type CiProvider, ciInfo, envValue } from './provider';

// https://circleci.com/docs/reference/variables/ (CircleCI builds the pull request's head commit)
export const circleci: CiProvider = {
  name: 'circleci',
  detect(env) {
    if (!envValue(env, 'CIRCLECI')) return undefined;
    const remote = envValue(env, 'CIRCLE_REPOSITORY_URL');
    return ciInfo('circleci', {
      commit: asCommit(envValue(env, 'CIRCLE_SHA1')),
      branch: envValue(env, 'CIRCLE_BRANCH'),
      repoName: envValue(env, 'CIRCLE_PROJECT_REPONAME') ?? repoNameFromRemoteUrl(remote),
      remoteUrl: sanitizeRemoteUrl(remote),
    });
  },
};
