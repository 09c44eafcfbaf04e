import { chmodSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

// node-sqlite3-wasm locks a database by creating the directory `<file>.lock` and removes it on
// close. The server holds that lock for its whole life (exclusive locking mode), so a server that
// died without closing leaves it behind, and every later start would find the database locked. We
// record who holds it in the directory, so a later start can tell a live holder from a dead one.

const OWNER_FILE = 'owner.json';
/** A lock without an owner this old is left over: taking the lock and recording it is immediate. */
const UNOWNED_GRACE_MS = 10_000;

interface Owner {
  pid: number;
  host: string;
}

function lockDir(file: string): string {
  return `${file}.lock`;
}

function readOwner(dir: string): Owner | undefined {
  try {
    const value = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as Partial<Owner>;
    if (Number.isSafeInteger(value.pid) && (value.pid as number) > 0 && typeof value.host === 'string') {
      return { pid: value.pid as number, host: value.host };
    }
  } catch {
    // missing or unreadable: unowned
  }
  return undefined;
}

/** Whether a process of this pid runs on this host (one of another user counts). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}

/**
 * Before opening `file`: removes a lock left by a server that is gone, or throws when a live one
 * holds it. Returns the pid of the dead holder whose lock was removed.
 */
export function clearStaleLock(file: string, dataDir: string): number | undefined {
  const dir = lockDir(file);
  const stats = statSync(dir, { throwIfNoEntry: false });
  if (!stats) return undefined;
  const owner = readOwner(dir);
  const inUse = (by: string) =>
    new Error(
      `the data folder ${dataDir} is in use by ${by}; stop that server or pass another data folder (--data-dir)`,
    );
  if (owner && owner.host !== hostname()) {
    throw inUse(
      `a hogmaps server on ${JSON.stringify(owner.host.slice(0, 100))} (pid ${owner.pid}); if none runs there, remove ${dir}`,
    );
  }
  if (owner?.pid === process.pid) throw inUse('another server in this process');
  if (owner && isAlive(owner.pid)) throw inUse(`another hogmaps server (pid ${owner.pid})`);
  if (!owner && Date.now() - stats.mtimeMs < UNOWNED_GRACE_MS) {
    throw inUse('a hogmaps server that is starting');
  }
  rmSync(dir, { recursive: true, force: true });
  return owner?.pid ?? 0;
}

/** After the lock is taken: records this process as its holder (owner-only, like the data folder). */
export function recordLockOwner(file: string): void {
  const owner: Owner = { pid: process.pid, host: hostname() };
  chmodSync(lockDir(file), 0o700);
  writeFileSync(join(lockDir(file), OWNER_FILE), `${JSON.stringify(owner)}\n`, { mode: 0o600 });
}

/** Before closing: the VFS removes the lock directory only when it is empty. */
export function removeLockOwner(file: string): void {
  rmSync(join(lockDir(file), OWNER_FILE), { force: true });
}
