import { readFileSync } from 'node:fs';
import { sanitizeRemoteUrl } from '../remote-url';
import { asCommit, type CiProvider, ciInfo, envValue, lastSegment } from './provider';

// Events whose GITHUB_SHA is the synthetic merge commit (refs/pull/N/merge). pull_request_target is not
// here: it checks out the base branch, so GITHUB_SHA is what gets built.
const MERGE_COMMIT_EVENTS = new Set(['pull_request', 'pull_request_review', 'pull_request_review_comment']);

interface PullRequestHead {
  sha?: string;
  ref?: string;
}

function readPullRequestHead(eventPath: string | undefined): PullRequestHead {
  if (!eventPath) return {};
  try {
    const event = JSON.parse(readFileSync(eventPath, 'utf8')) as { pull_request?: { head?: unknown } };
    const head = event.pull_request?.head as Record<string, unknown> | undefined;
    return {
      ...(typeof head?.sha === 'string' ? { sha: head.sha } : {}),
      ...(typeof head?.ref === 'string' ? { ref: head.ref } : {}),
    };
  } catch {
    return {};
  }
}

// https://docs.github.com/en/actions/reference/workflows-and-actions/variables
export const githubActions: CiProvider = {
  name: 'github-actions',
  detect(env) {
    if (!envValue(env, 'GITHUB_ACTIONS')) return undefined;
    const event = envValue(env, 'GITHUB_EVENT_NAME');
    const isPullRequest = event !== undefined && MERGE_COMMIT_EVENTS.has(event);
    const head = isPullRequest ? readPullRequestHead(env.GITHUB_EVENT_PATH) : {};
    const repository = envValue(env, 'GITHUB_REPOSITORY');
    const server = envValue(env, 'GITHUB_SERVER_URL') ?? 'https://github.com';
    return ciInfo('github-actions', {
      commit: asCommit(head.sha) ?? asCommit(envValue(env, 'GITHUB_SHA')),
      // GITHUB_REF_NAME is `<n>/merge` in a pull request.
      branch: isPullRequest
        ? (envValue(env, 'GITHUB_HEAD_REF') ?? head.ref)
        : envValue(env, 'GITHUB_REF_NAME'),
      repoName: lastSegment(repository),
      remoteUrl: repository
        ? sanitizeRemoteUrl(`${server.replace(/\/+$/, '')}/${repository}.git`)
        : undefined,
    });
  },
};
