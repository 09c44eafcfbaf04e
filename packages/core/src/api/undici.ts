// undici's index loads all of undici (fetch, WebSocket, caches, mocks, every dispatcher): about 90 ms
// of CPU on Node 20 here, in every build that uploads. A direct connection needs only an Agent and
// `request`, which load from their own files in about a third of that. undici has no exports map, so
// those paths resolve; should a release move them, the index is loaded instead. A proxy loads the
// index: ProxyAgent's internals call api methods that only the index adds to every dispatcher.
import { createRequire } from 'node:module';
import type { Agent, Dispatcher, ProxyAgent } from 'undici';

type Load = (id: string) => unknown;
type RequestFn = (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

export interface AgentClasses {
  Agent: typeof Agent;
  /** Loaded on first call (undici's index): only a proxied request needs it. */
  ProxyAgent(): typeof ProxyAgent;
  /** `files`: undici's own modules; `index`: the whole package (the fallback). */
  loadedFrom: 'files' | 'index';
}

/**
 * Adds `request` to an agent class, as undici's index does for every dispatcher (its api methods are
 * mixed into Dispatcher.prototype there, so a class loaded from its file lacks them).
 */
function withRequest(base: typeof Agent, request: RequestFn): typeof Agent {
  // biome-ignore lint/suspicious/noExplicitAny: a mixin's base constructor must take any[].
  return class extends (base as new (...args: any[]) => Dispatcher) {
    override request(options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
      return request.call(this, options);
    }
  } as unknown as typeof Agent;
}

function fromFiles(load: Load): AgentClasses | undefined {
  try {
    const request = load('undici/lib/api/api-request.js');
    const agent = load('undici/lib/dispatcher/agent.js');
    if (typeof request !== 'function' || typeof agent !== 'function') return undefined;
    return {
      Agent: withRequest(agent as typeof Agent, request as RequestFn),
      ProxyAgent: () => (load('undici') as typeof import('undici')).ProxyAgent,
      loadedFrom: 'files',
    };
  } catch {
    return undefined;
  }
}

function fromIndex(load: Load): AgentClasses {
  const undici = load('undici') as typeof import('undici');
  return { Agent: undici.Agent, ProxyAgent: () => undici.ProxyAgent, loadedFrom: 'index' };
}

let loaded: AgentClasses | undefined;

/**
 * undici's Agent and ProxyAgent, each with `request`, loaded once per process. `load` is for tests
 * (the fallback); resolution starts at this module, as in load-optional.ts.
 */
export function agentClasses(load?: Load): AgentClasses {
  if (load) return fromFiles(load) ?? fromIndex(load);
  if (loaded) return loaded;
  // Asked for on every request (dispatcherFor): the resolver is made only the first time.
  const require = createRequire(import.meta.url);
  loaded = fromFiles(require) ?? fromIndex(require);
  return loaded;
}
