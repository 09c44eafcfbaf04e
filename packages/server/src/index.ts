// The public API of @hogmaps/server: explicit named re-exports only.
export type { ApiKey, Project } from './auth/credentials';
export type { Clock } from './clock';
export type { SqliteBackend } from './db/database';
export type { FaultAction, FaultController, FaultRule, FaultStatus, FaultTarget } from './faults/rules';
export { type RunningServer, type ServerAdmin, type StartServerOptions, startServer } from './start';
export type { SymbolSetRow } from './symbol-sets/store';

export const VERSION = '0.1.0';
