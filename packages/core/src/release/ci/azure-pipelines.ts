import { repoNameFromRemoteUrl, sanitizeRemoteUrl } from '../remote-url';
import { asCommit, type CiProvider, ciInfo, envValue, lastSegment, shortRef } from './provider';

// https://learn.microsoft.com/azure/devops/pipelines/build/variables
export const azurePipelines: CiProvider = {
  name: 'azure-pipelines',
  detect(env) {
    if (!envValue(env, 'TF_BUILD')) return undefined;
    const isPullRequest = envValue(env, 'SYSTEM_PULLREQUEST_PULLREQUESTID') !== undefined;
    const remote = sanitizeRemoteUrl(envValue(env, 'BUILD_REPOSITORY_URI'));
    return ciInfo('azure-pipelines', {
      // For pull requests BUILD_SOURCEVERSION is the merge commit; SourceCommitId is the head.
      commit: asCommit(envValue(env, 'SYSTEM_PULLREQUEST_SOURCECOMMITID', 'BUILD_SOURCEVERSION')),
      // BUILD_SOURCEBRANCH is `refs/pull/N/merge` in a pull request: no branch is better than that.
      branch: shortRef(
        isPullRequest
          ? envValue(env, 'SYSTEM_PULLREQUEST_SOURCEBRANCH')
          : envValue(env, 'BUILD_SOURCEBRANCH', 'BUILD_SOURCEBRANCHNAME'),
      ),
      repoName: lastSegment(envValue(env, 'BUILD_REPOSITORY_NAME')) ?? repoNameFromRemoteUrl(remote),
      remoteUrl: remote,
    });
  },
};
