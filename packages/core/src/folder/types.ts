import type { Logger } from '../logger';
import type { Pair } from '../upload/pack';

/** A JS file with its map on disk. */
export interface SourcePair {
  jsPath: string;
  mapPath: string;
}

/** One injected chunk of a folder: its id and files, and how to read them when not from disk as is. */
export interface FolderEntry {
  chunkId: string;
  jsPath: string;
  mapPath: string;
  /** SHA-256 of the JS as it was when its id was read or injected (map deletion checks it). */
  jsHash: string;
  /** Whether its map is PostHog's empty map, when injecting it told (else the map is read to see). */
  mapIsEmpty?: boolean;
  /** Reads the content to upload; default: both files from disk. */
  load?: () => Promise<Pair>;
}

/** What every step of the folder pipeline reports through, and where paths in messages start. */
export interface FolderContext {
  logger: Logger;
  /** Base of relative roots and of the paths shown in messages. */
  cwd: string;
}
