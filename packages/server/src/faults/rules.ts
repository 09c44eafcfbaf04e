import { HogmapsError } from '@hogmaps/core';

/** Which part of the server a request is for. */
export type FaultTarget = 'api' | 'storage' | 'events';

export type FaultAction =
  /** Answer with this status (and `Retry-After`, and this body) instead of handling the request. */
  | { status: number; retryAfter?: number; body?: unknown }
  /** Wait, then handle the request normally. */
  | { delayMs: number }
  /** Close the connection without answering (a transport failure). */
  | { drop: true }
  /** Answer as object storage does when it refuses a presigned request (403 AccessDenied XML). */
  | { storageReject: 403 };

export interface FaultRule {
  match: {
    method?: string;
    /** A string matches when the path (without query) contains it; a RegExp is tested against the path. */
    path?: string | RegExp;
    target?: FaultTarget;
  };
  action: FaultAction;
  /** How many matching requests this rule affects; then it is spent. */
  times: number;
}

export interface FaultStatus {
  rule: FaultRule;
  /** Matching requests this rule will still affect. */
  remaining: number;
  /** Requests it has affected so far. */
  hits: number;
}

/** Runtime control of fault injection, on the handle startServer returns. */
export interface FaultController {
  /** Adds a rule (after the existing ones; the first live matching rule wins). */
  add(rule: FaultRule): FaultStatus;
  /** Removes every rule. */
  clear(): void;
  /** The rules with their counters, spent ones included until clear(). */
  list(): FaultStatus[];
}

function invalidRule(message: string): HogmapsError {
  return new HogmapsError('invalid_fault_rule', `Invalid fault rule: ${message}`);
}

function validateRule(rule: FaultRule): void {
  if (!Number.isInteger(rule?.times) || rule.times < 1)
    throw invalidRule('`times` must be a positive integer');
  const action = rule.action as Record<string, unknown> | undefined;
  if (!action || typeof action !== 'object') throw invalidRule('`action` is required');
  if ('status' in action) {
    if (
      !Number.isInteger(action.status) ||
      (action.status as number) < 100 ||
      (action.status as number) > 599
    ) {
      throw invalidRule('`action.status` must be an HTTP status (100-599)');
    }
    if (
      action.retryAfter !== undefined &&
      !(Number.isFinite(action.retryAfter) && (action.retryAfter as number) >= 0)
    ) {
      throw invalidRule('`action.retryAfter` must be a number of seconds');
    }
  } else if ('delayMs' in action) {
    if (!Number.isFinite(action.delayMs) || (action.delayMs as number) < 0) {
      throw invalidRule('`action.delayMs` must be a non-negative number');
    }
  } else if ('drop' in action) {
    if (action.drop !== true) throw invalidRule('`action.drop` must be true');
  } else if ('storageReject' in action) {
    if (action.storageReject !== 403) throw invalidRule('`action.storageReject` must be 403');
  } else {
    throw invalidRule('`action` needs one of status, delayMs, drop or storageReject');
  }
  const { target, path, method } = rule.match ?? {};
  if (target !== undefined && !['api', 'storage', 'events'].includes(target)) {
    throw invalidRule('`match.target` must be api, storage or events');
  }
  if (path !== undefined && typeof path !== 'string' && !(path instanceof RegExp)) {
    throw invalidRule('`match.path` must be a string or a RegExp');
  }
  if (method !== undefined && typeof method !== 'string')
    throw invalidRule('`match.method` must be a string');
}

function matches(rule: FaultRule, method: string, path: string, target: FaultTarget): boolean {
  const { match } = rule;
  if (match.method !== undefined && match.method.toUpperCase() !== method) return false;
  if (match.target !== undefined && match.target !== target) return false;
  if (typeof match.path === 'string' && !path.includes(match.path)) return false;
  if (match.path instanceof RegExp) {
    match.path.lastIndex = 0; // a /g or /y RegExp keeps state between tests
    if (!match.path.test(path)) return false;
  }
  return true;
}

/** The rule list, with counting: each matching request spends one use of the first live rule. */
export function createFaultController(initial: readonly FaultRule[] = []) {
  let rules: FaultStatus[] = [];

  const controller: FaultController & {
    take(method: string, path: string, target: FaultTarget): FaultAction | undefined;
  } = {
    add(rule) {
      validateRule(rule);
      const status: FaultStatus = { rule, remaining: rule.times, hits: 0 };
      rules.push(status);
      return status;
    },
    clear() {
      rules = [];
    },
    list() {
      return [...rules];
    },
    take(method, path, target) {
      const live = rules.find((status) => status.remaining > 0 && matches(status.rule, method, path, target));
      if (!live) return undefined;
      live.remaining -= 1;
      live.hits += 1;
      return live.rule.action;
    },
  };
  for (const rule of initial) controller.add(rule);
  return controller;
}

export type FaultEngine = ReturnType<typeof createFaultController>;
