import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A new folder under the run's temporary root (removed after the run by the global setup). */
export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(process.env.HOGMAPS_CLI_TEST_TMP ?? tmpdir(), `${prefix}-`));
}
