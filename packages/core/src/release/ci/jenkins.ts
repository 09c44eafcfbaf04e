import { repoNameFromRemoteUrl, sanitizeRemoteUrl } from '../remote-url';
import { asCommit, type CiProvider, ciInfo, envValue } from './provider';

// https://www.jenkins.io/doc/book/pipeline/jenkinsfile/#using-environment-variables and the Git plugin's
// variables; `ghprb*` come from the GitHub Pull Request Builder plugin, CHANGE_* from multibranch jobs.
export const jenkins: CiProvider = {
  name: 'jenkins',
  detect(env) {
    if (!envValue(env, 'JENKINS_URL')) return undefined;
    const remote = sanitizeRemoteUrl(envValue(env, 'GIT_URL'));
    const gitBranch = envValue(env, 'GIT_BRANCH')?.replace(/^(?:refs\/remotes\/)?origin\//, '');
    return ciInfo('jenkins', {
      commit: asCommit(envValue(env, 'ghprbActualCommit', 'GIT_COMMIT')),
      branch:
        envValue(env, 'CHANGE_BRANCH', 'ghprbSourceBranch', 'BRANCH_NAME', 'GIT_LOCAL_BRANCH') ?? gitBranch,
      repoName: repoNameFromRemoteUrl(remote),
      remoteUrl: remote,
    });
  },
};
