// One build at a time per checkout: `pnpm --filter a --filter b build` starts several, and they share
// the declaration cache. The lock is a folder holding the owner's pid; a dead owner's lock is taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function tryAcquire(dir) {
  try {
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'pid'), String(process.pid));
    return true;
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
    let owner = Number.NaN;
    try {
      owner = Number(readFileSync(path.join(dir, 'pid'), 'utf8'));
    } catch {
      return false; // being created right now
    }
    if (Number.isInteger(owner) && !isAlive(owner)) rmSync(dir, { recursive: true, force: true });
    return false;
  }
}

/** Runs `task` while holding the lock folder `dir`, waiting for another process to release it. */
export async function withLock(dir, task) {
  mkdirSync(path.dirname(dir), { recursive: true });
  while (!tryAcquire(dir)) await sleep(200);
  try {
    return await task();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
