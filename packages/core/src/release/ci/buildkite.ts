import { repoNameFromRemoteUrl, sanitizeRemoteUrl } from '../remote-url';
import { asCommit, type CiProvider, ciInfo, envValue } from './provider';

// https://buildkite.com/docs/pipelines/configure/environment-variables
export const buildkite: CiProvider = {
  name: 'buildkite',
  detect(env) {
    if (env.BUILDKITE !== 'true') return undefined;
    const remote = sanitizeRemoteUrl(envValue(env, 'BUILDKITE_REPO'));
    return ciInfo('buildkite', {
      // BUILDKITE_COMMIT can be the literal `HEAD` for manually created builds; asCommit drops it.
      commit: asCommit(envValue(env, 'BUILDKITE_COMMIT')),
      branch: envValue(env, 'BUILDKITE_BRANCH'),
      repoName: repoNameFromRemoteUrl(remote),
      remoteUrl: remote,
    });
  },
};
