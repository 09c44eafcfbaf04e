import { resetBuildSessions } from '@hogmaps/core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startTestServer, type TestServer } from './server';
import { createWorkspace, type Workspace } from './workspace';

export interface BuildSuite {
  /** The file's local PostHog server (one per test file; each test takes projects of its own). */
  readonly server: TestServer;
  /** This test's copy of the scenario (the working directory while the test runs). */
  readonly workspace: Workspace;
}

/**
 * The lifecycle the cross-bundler tests share: one test server per file, and per test a fresh build
 * session (as a new process would have), no faults left from the test before, and a fresh copy of
 * the scenario at `scenarioRoot` (the app scenario by default).
 */
export function useBuildSuite(scenarioRoot?: string): BuildSuite {
  let server: TestServer | undefined;
  let workspace: Workspace | undefined;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(async () => {
    resetBuildSessions();
    server?.server.faults.clear();
    workspace = await createWorkspace(scenarioRoot);
  });
  afterEach(async () => {
    await workspace?.dispose();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useBuildSuite: the ${what} exists only while a test runs`);
    return value;
  };
  return {
    get server() {
      return ready(server, 'server');
    },
    get workspace() {
      return ready(workspace, 'workspace');
    },
  };
}
