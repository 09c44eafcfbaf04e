import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@hogmaps/core';

/**
 * The data folder holds a personal API key in clear text and the storage signing secret, so it is
 * readable by its owner only: folders 0700, files 0600 (POSIX; Windows ignores the modes).
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

const DATABASE_FILES = ['hogmaps.db', 'hogmaps.db-wal', 'hogmaps.db-shm'];

/** Creates a folder (and missing parents) owner-only; an existing one is left as it is. */
export function makePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Narrows an existing file or folder to owner-only; a missing one is fine. */
function restrict(path: string, mode: number): void {
  try {
    if ((statSync(path).mode & 0o777) !== mode) chmodSync(path, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * Prepares `dataDir` before the database opens. A new folder is created 0700. An existing one is
 * narrowed to 0700 when it is ours (it holds `hogmaps.db`, e.g. made by an older server) or empty;
 * any other folder the user named is not re-permissioned, but a warning says who else can read it.
 * The database file is created 0600 before SQLite opens it: SQLite gives its `-wal` and `-shm` files
 * the mode of the database file.
 */
export function prepareDataDir(dataDir: string, logger: Logger): void {
  const existed = existsSync(dataDir);
  makePrivateDir(dataDir);
  const ours = existsSync(join(dataDir, DATABASE_FILES[0]!));
  if (!existed || ours || readdirSync(dataDir).length === 0) restrict(dataDir, PRIVATE_DIR_MODE);
  else if ((statSync(dataDir).mode & 0o077) !== 0) {
    logger.warn(
      `data folder ${dataDir} is readable by other users; it will hold an API key and a signing secret (chmod 700 it, or use a new folder)`,
    );
  }
  for (const file of DATABASE_FILES) restrict(join(dataDir, file), PRIVATE_FILE_MODE);
  closeSync(openSync(join(dataDir, DATABASE_FILES[0]!), 'a', PRIVATE_FILE_MODE));
}

/** After the database is open: its WAL files too (older SQLite builds or umasks may differ). */
export function restrictDatabaseFiles(dataDir: string): void {
  for (const file of DATABASE_FILES) restrict(join(dataDir, file), PRIVATE_FILE_MODE);
}

/** Narrows a folder tree that an older server made with default modes (blobs/). */
export function restrictTree(root: string): void {
  restrict(root, PRIVATE_DIR_MODE);
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) restrictTree(path);
    else if (entry.isFile()) restrict(path, PRIVATE_FILE_MODE);
  }
}
