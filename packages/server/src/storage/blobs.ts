import { createHash, type Hash, randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { type FileHandle, open, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { HogmapsError } from '@hogmaps/core';
import { isAlive } from '../db/folder-lock';
import { uuid7 } from '../db/ids';
import { makePrivateDir, PRIVATE_FILE_MODE, restrictTree } from './private-files';

/** PostHog's OBJECT_STORAGE_ERROR_TRACKING_SOURCE_MAPS_FOLDER default. */
export const SYMBOL_SET_FOLDER = 'symbolsets';

const KEY_SEGMENT = /^[A-Za-z0-9._-]+$/;

/**
 * Keys are what clients send back to us (form fields, URL paths), so only plain relative paths are
 * accepted: no empty, `.` or `..` segments, no backslashes or other special characters.
 */
export function isSafeKey(key: string): boolean {
  if (key.length === 0 || key.length > 512) return false;
  return key.split('/').every((segment) => KEY_SEGMENT.test(segment) && segment !== '.' && segment !== '..');
}

export class InvalidKeyError extends HogmapsError {
  constructor(key: string) {
    super('invalid_storage_key', `Invalid object key: ${JSON.stringify(key)}`);
    this.name = 'InvalidKeyError';
  }
}

/** A file being written to the temporary folder; it becomes visible under a key only on commit. */
export interface BlobWriter {
  write(chunk: Buffer): Promise<void>;
  readonly size: number;
  /** Hex digest of everything written, by the algorithm the writer was made for. */
  digest(): string;
  commit(key: string): Promise<void>;
  /** Finishes writing; then `commitSync` can publish the file in the same tick as a check. */
  close(): Promise<void>;
  /** Publishes a closed file under `key` synchronously, so no other request runs in between. */
  commitSync(key: string): void;
  abort(): Promise<void>;
}

/** A server's own folder under tmp/: `<pid>@<host>.<random>`. */
const OWN_TMP = /^(\d+)@(.+)\.[0-9a-f]{8}$/;

/** What older servers left directly in tmp/ is removed once this old: no upload takes a day. */
const LEFTOVER_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * Removes what servers that are gone left under tmp/ (uploads cut short by a crash are never
 * committed). Two servers may share a data folder (node:sqlite), so a live one's folder, and one of
 * another host, is left alone; so is anything younger than a day that is not in a server's folder.
 */
function removeLeftovers(tmpRoot: string, host: string, now: number): void {
  for (const entry of readdirSync(tmpRoot, { withFileTypes: true })) {
    const path = join(tmpRoot, entry.name);
    const own = entry.isDirectory() ? OWN_TMP.exec(entry.name) : null;
    const gone = own
      ? own[2] === host && !isAlive(Number(own[1]))
      : now - lstatSync(path).mtimeMs > LEFTOVER_AGE_MS;
    if (gone) rmSync(path, { recursive: true, force: true });
  }
}

export function createBlobStore(dataDir: string) {
  const root = resolve(dataDir, 'blobs');
  const tmpRoot = resolve(dataDir, 'tmp');
  makePrivateDir(root);
  restrictTree(root);
  makePrivateDir(tmpRoot);
  const host = hostname();
  removeLeftovers(tmpRoot, host, Date.now());
  restrictTree(tmpRoot);
  // Files being received go to a folder of this server's own, so that a second server starting on
  // the same data folder never removes them.
  const tmpDir = join(tmpRoot, `${process.pid}@${host}.${randomBytes(4).toString('hex')}`);
  makePrivateDir(tmpDir);

  function pathFor(key: string): string {
    if (!isSafeKey(key)) throw new InvalidKeyError(key);
    const path = resolve(root, key);
    if (!path.startsWith(root + sep)) throw new InvalidKeyError(key);
    return path;
  }

  return {
    root,
    /** This server's folder for files being received. */
    tmpDir,
    pathFor,

    /** Removes this server's temporary folder, once no request is writing to it. */
    removeTemporaries(): void {
      rmSync(tmpDir, { recursive: true, force: true });
    },

    newKey(): string {
      return `${SYMBOL_SET_FOLDER}/${uuid7()}`;
    },

    /** S3's HEAD: the object's size, or undefined when there is no object. */
    async size(key: string): Promise<number | undefined> {
      try {
        const info = await stat(pathFor(key));
        return info.isFile() ? info.size : undefined;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },

    /** Every stored object's key (for the orphan sweep). */
    listKeys(): string[] {
      const keys: string[] = [];
      const walk = (dir: string, prefix: string) => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          const key = prefix ? `${prefix}/${entry.name}` : entry.name;
          if (entry.isDirectory()) walk(join(dir, entry.name), key);
          else if (entry.isFile() && isSafeKey(key)) keys.push(key);
        }
      };
      walk(root, '');
      return keys;
    },

    /** `size`, synchronously, for checks that must not let another request run in between. */
    sizeSync(key: string): number | undefined {
      const info = statSync(pathFor(key), { throwIfNoEntry: false });
      return info?.isFile() ? info.size : undefined;
    },

    readSync(key: string): Buffer | undefined {
      try {
        return readFileSync(pathFor(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },

    async remove(key: string): Promise<void> {
      await rm(pathFor(key), { force: true });
    },

    /**
     * A writer that digests what it writes: `md5` for S3's ETag, `sha512` for PostHog's content hash
     * (the legacy upload). Only the one asked for: storage POSTs are most of a build's requests, and
     * a second digest of every set was CPU for nothing.
     */
    async createWriter(algorithm: 'md5' | 'sha512'): Promise<BlobWriter> {
      const tmpPath = join(tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
      const handle: FileHandle = await open(tmpPath, 'wx', PRIVATE_FILE_MODE);
      const hash: Hash = createHash(algorithm);
      let size = 0;
      let closed = false;
      // After a commit the temporary file is gone: nothing is left for abort to remove.
      let committed = false;
      const close = async () => {
        if (closed) return;
        closed = true;
        await handle.close();
      };
      let digest: string | undefined;
      return {
        get size() {
          return size;
        },
        async write(chunk) {
          hash.update(chunk);
          size += chunk.length;
          await handle.write(chunk);
        },
        digest() {
          digest ??= hash.digest('hex');
          return digest;
        },
        async commit(key) {
          const target = pathFor(key);
          await close();
          makePrivateDir(resolve(target, '..'));
          await rename(tmpPath, target);
          committed = true;
        },
        close,
        commitSync(key) {
          if (!closed) throw new Error('commitSync before close');
          const target = pathFor(key);
          makePrivateDir(resolve(target, '..'));
          renameSync(tmpPath, target);
          committed = true;
        },
        async abort() {
          await close();
          if (!committed) await rm(tmpPath, { force: true });
        },
      };
    },
  };
}

export type BlobStore = ReturnType<typeof createBlobStore>;
