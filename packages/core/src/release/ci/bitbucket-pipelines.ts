import { sanitizeRemoteUrl } from '../remote-url';
import { asCommit, type CiProvider, ciInfo, envValue } from './provider';

// https://support.atlassian.com/bitbucket-cloud/docs/variables-and-secrets/
export const bitbucketPipelines: CiProvider = {
  name: 'bitbucket-pipelines',
  detect(env) {
    if (!envValue(env, 'BITBUCKET_BUILD_NUMBER')) return undefined;
    return ciInfo('bitbucket-pipelines', {
      // In pull-request pipelines BITBUCKET_COMMIT and BITBUCKET_BRANCH name the source branch.
      commit: asCommit(envValue(env, 'BITBUCKET_COMMIT')),
      branch: envValue(env, 'BITBUCKET_BRANCH'),
      repoName: envValue(env, 'BITBUCKET_REPO_SLUG'),
      remoteUrl: sanitizeRemoteUrl(envValue(env, 'BITBUCKET_GIT_HTTP_ORIGIN')),
    });
  },
};
