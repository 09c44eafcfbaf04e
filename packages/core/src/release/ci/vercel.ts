import { sanitizeRemoteUrl } from '../remote-url';
import { asCommit, type CiProvider, ciInfo, envValue } from './provider';

const HOSTS: Record<string, string> = {
  github: 'https://github.com',
  gitlab: 'https://gitlab.com',
  bitbucket: 'https://bitbucket.org',
};

// https://vercel.com/docs/environment-variables/system-environment-variables
export const vercel: CiProvider = {
  name: 'vercel',
  detect(env) {
    if (!envValue(env, 'VERCEL')) return undefined;
    const slug = envValue(env, 'VERCEL_GIT_REPO_SLUG');
    const owner = envValue(env, 'VERCEL_GIT_REPO_OWNER');
    const host = HOSTS[envValue(env, 'VERCEL_GIT_PROVIDER')?.toLowerCase() ?? ''];
    return ciInfo('vercel', {
      commit: asCommit(envValue(env, 'VERCEL_GIT_COMMIT_SHA')),
      branch: envValue(env, 'VERCEL_GIT_COMMIT_REF'),
      repoName: slug,
      remoteUrl: host && owner && slug ? sanitizeRemoteUrl(`${host}/${owner}/${slug}`) : undefined,
    });
  },
};
