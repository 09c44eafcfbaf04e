import { repoNameFromRemoteUrl, sanitizeRemoteUrl } from '../remote-url';
import { asCommit, type CiProvider, ciInfo, envValue } from './provider';

// https://docs.netlify.com/configure-builds/environment-variables/#read-only-variables
export const netlify: CiProvider = {
  name: 'netlify',
  detect(env) {
    if (env.NETLIFY !== 'true') return undefined;
    // REPOSITORY_URL may carry an access token; sanitizing drops it.
    const remote = sanitizeRemoteUrl(envValue(env, 'REPOSITORY_URL'));
    return ciInfo('netlify', {
      commit: asCommit(envValue(env, 'COMMIT_REF')),
      // HEAD is the head branch's name; BRANCH is the ref checked out (`pull/N/head` in deploy previews).
      branch: envValue(env, 'HEAD', 'BRANCH'),
      repoName: repoNameFromRemoteUrl(remote),
      remoteUrl: remote,
    });
  },
};
