import { realpath } from 'node:fs/promises';
import path from 'node:path';

/** The file's real path (symlinks resolved), or undefined when it does not exist. */
export async function realPathOf(file: string): Promise<string | undefined> {
  try {
    return await realpath(file);
  } catch {
    return undefined;
  }
}

/** Whether `file` lies strictly inside `dir` (both absolute; the folder itself is not inside). */
export function isInside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return (
    relative !== '' &&
    !relative.startsWith(`..${path.sep}`) &&
    relative !== '..' &&
    !path.isAbsolute(relative)
  );
}

/**
 * Whether `file` is inside `dir` both as written and once symlinks are resolved (a link inside the
 * folder may lead anywhere). A file that does not exist is judged by its path alone.
 */
export async function isReallyInside(dir: string, file: string): Promise<boolean> {
  if (!isInside(dir, file)) return false;
  const realFile = await realPathOf(file);
  if (realFile === undefined) return true;
  return isInside((await realPathOf(dir)) ?? dir, realFile);
}
