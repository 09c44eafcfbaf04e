import { azurePipelines } from './azure-pipelines';
import { bitbucketPipelines } from './bitbucket-pipelines';
import { buildkite } from './buildkite';
import { circleci } from './circleci';
import { cloudflarePages, cloudflareWorkers } from './cloudflare-pages';
import { githubActions } from './github-actions';
import { gitlabCi } from './gitlab-ci';
import { jenkins } from './jenkins';
import { netlify } from './netlify';
import type { CiInfo, CiProvider } from './provider';
import { travis } from './travis';
import { vercel } from './vercel';

/**
 * Every provider we recognise, tried in order; the first whose marker variable is set wins. GitHub
 * Actions comes before Vercel as in PostHog's CLI (a `vercel build` step inside a workflow sees both).
 */
export const CI_PROVIDERS: readonly CiProvider[] = [
  githubActions,
  gitlabCi,
  vercel,
  netlify,
  cloudflarePages,
  cloudflareWorkers,
  circleci,
  bitbucketPipelines,
  buildkite,
  azurePipelines,
  travis,
  jenkins,
];

/** The CI provider running this build, with what its variables say, or undefined outside CI. */
export function detectCiProvider(env: NodeJS.ProcessEnv): CiInfo | undefined {
  for (const provider of CI_PROVIDERS) {
    const info = provider.detect(env);
    if (info) return info;
  }
  return undefined;
}
