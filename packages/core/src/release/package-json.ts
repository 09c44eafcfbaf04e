import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { errorMessage, FileError } from '../errors';

export interface PackageJsonInfo {
  /** Absolute path of the package.json that was read. */
  path: string;
  /** The `name` field as written, scope included (`@acme/web`): a scope is part of the name. */
  name?: string;
  version?: string;
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'ENOTDIR'
    ) {
      return undefined;
    }
    throw new FileError('unreadable_package_json', path, `cannot be read: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}

/**
 * The nearest package.json at or above `cwd` (the first one found, even if it lacks a name or version:
 * that is the package being built). Undefined when there is none up to the filesystem root; a
 * package.json that is not valid JSON is an error rather than a silent skip.
 */
export function readNearestPackageJson(cwd: string): PackageJsonInfo | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const path = join(dir, 'package.json');
    const text = readIfExists(path);
    if (text !== undefined) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new FileError('invalid_package_json', path, `is not valid JSON: ${errorMessage(error)}`, {
          cause: error,
        });
      }
      const fields = (json !== null && typeof json === 'object' ? json : {}) as Record<string, unknown>;
      const name = typeof fields.name === 'string' ? fields.name.trim() : '';
      const version = typeof fields.version === 'string' ? fields.version.trim() : '';
      return { path, ...(name ? { name } : {}), ...(version ? { version } : {}) };
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
