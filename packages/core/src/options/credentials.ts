import { API_KEY_ENV, type EnvValue, PROJECT_ID_ENV, readEnv } from './env';
import type { ApiKeySource, OptionNote, ProjectIdSource } from './types';
import { describeValue, type Issues, looksLikePostHogKey } from './validate';

export interface ResolvedCredentialParts {
  apiKey: string | undefined;
  apiKeySource: ApiKeySource | undefined;
  projectId: string | undefined;
  projectIdSource: ProjectIdSource | undefined;
}

/**
 * Explicit option, then environment, field by field: `personalApiKey` > POSTHOG_PERSONAL_API_KEY
 * > POSTHOG_CLI_API_KEY > POSTHOG_CLI_TOKEN; `projectId` > `envId` > POSTHOG_CLI_PROJECT_ID >
 * POSTHOG_CLI_ENV_ID. Every key value seen is added to `secrets` so no message can echo it.
 */
export function resolveCredentialParts(
  issues: Issues,
  input: { personalApiKey?: unknown; projectId?: unknown; envId?: unknown },
  env: NodeJS.ProcessEnv,
  notes: OptionNote[],
  secrets: Set<string>,
): ResolvedCredentialParts {
  return {
    ...resolveApiKey(issues, input.personalApiKey, env, secrets),
    ...resolveProjectId(issues, input, env, notes),
  };
}

function resolveApiKey(
  issues: Issues,
  option: unknown,
  env: NodeJS.ProcessEnv,
  secrets: Set<string>,
): Pick<ResolvedCredentialParts, 'apiKey' | 'apiKeySource'> {
  for (const name of API_KEY_ENV) {
    const value = env[name]?.trim();
    if (value) secrets.add(value);
  }
  if (option !== undefined && typeof option !== 'string') {
    // Only the type: a number or object here could still be someone's secret.
    issues.add(
      'personalApiKey',
      `expected a string, got ${Array.isArray(option) ? 'an array' : `a ${typeof option}`}`,
    );
    return { apiKey: undefined, apiKeySource: undefined };
  }
  const explicit = option?.trim();
  if (explicit) secrets.add(explicit);
  const fromEnv = explicit ? undefined : readEnv(env, ...API_KEY_ENV);
  const apiKey = explicit || fromEnv?.value;
  if (!apiKey) return { apiKey: undefined, apiKeySource: undefined };
  const problem = apiKeyProblem(apiKey);
  if (problem) {
    issues.add('personalApiKey', `${problem}${fromEnv ? ` (from ${fromEnv.name})` : ''}`);
    return { apiKey: undefined, apiKeySource: undefined };
  }
  return { apiKey, apiKeySource: fromEnv ? (fromEnv.name as ApiKeySource) : 'personalApiKey' };
}

/** PostHog's CLI insists on `phx_`; explain the usual mix-ups without printing the key. */
function apiKeyProblem(key: string): string | undefined {
  if (key.startsWith('phx_')) {
    return /\s/.test(key) ? 'expected a personal API key without spaces or line breaks' : undefined;
  }
  const expected = 'expected a personal API key starting with phx_';
  if (key.startsWith('phc_')) {
    return `${expected}, got a project API key (phc_…), which can only send events; create a personal API key with the error_tracking:write scope`;
  }
  const prefix = /^ph[a-z]_/.exec(key)?.[0];
  if (prefix) return `${expected}, got a key starting with ${prefix}`;
  if (key.includes('phx_')) return `${expected}; remove what comes before phx_ (such as "Bearer ")`;
  return `${expected}, got a ${key.length}-character string without that prefix`;
}

function resolveProjectId(
  issues: Issues,
  input: { projectId?: unknown; envId?: unknown },
  env: NodeJS.ProcessEnv,
  notes: OptionNote[],
): Pick<ResolvedCredentialParts, 'projectId' | 'projectIdSource'> {
  const projectId = readProjectId(issues, 'projectId', input.projectId);
  const envId = readProjectId(issues, 'envId', input.envId);
  if (envId.value || envId.invalid) {
    notes.push({ level: 'warn', message: 'envId is deprecated: use projectId' });
  }
  if (projectId.value && envId.value && projectId.value !== envId.value) {
    issues.add('envId', `conflicts with projectId (${projectId.value}); remove the deprecated envId`);
  }
  if (projectId.value) return { projectId: projectId.value, projectIdSource: 'projectId' };
  if (envId.value) return { projectId: envId.value, projectIdSource: 'envId' };
  // An invalid explicit value was reported; do not fall back to the environment behind it.
  if (projectId.invalid || envId.invalid) return { projectId: undefined, projectIdSource: undefined };
  const fromEnv: EnvValue | undefined = readEnv(env, ...PROJECT_ID_ENV);
  if (!fromEnv) return { projectId: undefined, projectIdSource: undefined };
  const value = readProjectId(issues, 'projectId', fromEnv.value, fromEnv.name).value;
  return { projectId: value, projectIdSource: value ? (fromEnv.name as ProjectIdSource) : undefined };
}

function readProjectId(
  issues: Issues,
  path: string,
  value: unknown,
  origin?: string,
): { value?: string; invalid?: boolean } {
  if (value === undefined) return {};
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return { value: String(value) };
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '') return {};
    if (/^[1-9][0-9]*$/.test(trimmed)) return { value: trimmed };
  }
  const from = origin ? ` (from ${origin})` : '';
  const hint =
    typeof value === 'string' && looksLikePostHogKey(value)
      ? '; the project id is the number in your PostHog URL (/project/12345), not a key'
      : '';
  issues.add(path, `expected a numeric project id such as 12345${from}, got ${describeValue(value)}${hint}`);
  return { invalid: true };
}
