import { asCommit, type CiProvider, ciInfo, envValue } from './provider';

// https://developers.cloudflare.com/pages/configuration/build-configuration/#environment-variables
// Pages exposes no repository name or URL; the local .git fills those in.
export const cloudflarePages: CiProvider = {
  name: 'cloudflare-pages',
  detect(env) {
    if (env.CF_PAGES !== '1') return undefined;
    return ciInfo('cloudflare-pages', {
      commit: asCommit(envValue(env, 'CF_PAGES_COMMIT_SHA')),
      branch: envValue(env, 'CF_PAGES_BRANCH'),
    });
  },
};

// Workers Builds, Pages' sibling, with the same information under other names.
export const cloudflareWorkers: CiProvider = {
  name: 'cloudflare-workers',
  detect(env) {
    if (env.WORKERS_CI !== '1') return undefined;
    return ciInfo('cloudflare-workers', {
      commit: asCommit(envValue(env, 'WORKERS_CI_COMMIT_SHA')),
      branch: envValue(env, 'WORKERS_CI_BRANCH'),
    });
  },
};
