import { sanitizeRemoteUrl } from '../remote-url';
import { asCommit, type CiProvider, ciInfo, envValue } from './provider';

// https://docs.gitlab.com/ci/variables/predefined_variables/
export const gitlabCi: CiProvider = {
  name: 'gitlab-ci',
  detect(env) {
    if (!envValue(env, 'GITLAB_CI')) return undefined;
    return ciInfo('gitlab-ci', {
      // Set only in merged-results pipelines, where CI_COMMIT_SHA is the merge commit.
      commit: asCommit(envValue(env, 'CI_MERGE_REQUEST_SOURCE_BRANCH_SHA', 'CI_COMMIT_SHA')),
      branch: envValue(env, 'CI_MERGE_REQUEST_SOURCE_BRANCH_NAME', 'CI_COMMIT_BRANCH', 'CI_COMMIT_REF_NAME'),
      repoName: envValue(env, 'CI_PROJECT_NAME'),
      // CI_REPOSITORY_URL carries a job token; the project URL is the same repository without it.
      remoteUrl: sanitizeRemoteUrl(envValue(env, 'CI_PROJECT_URL')),
    });
  },
};
