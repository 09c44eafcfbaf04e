import type { Logger } from '@hogmaps/core';
import type { CredentialStore } from './auth/credentials';
import type { Clock } from './clock';
import type { Database } from './db/database';
import type { ReleaseStore } from './releases/store';
import type { BlobStore } from './storage/blobs';
import type { Presigner } from './storage/presign';
import type { SymbolSetStore } from './symbol-sets/store';
import type { UploadSlotStore } from './symbol-sets/uploads';

/** Everything a request handler may use: one instance per running server. */
export interface App {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** Cap for JSON request bodies (413 above it). */
  maxBodyBytes: number;
  credentials: CredentialStore;
  releases: ReleaseStore;
  symbolSets: SymbolSetStore;
  /** The storage key each start handed out, and whether it may still be written or finished. */
  uploads: UploadSlotStore;
  blobs: BlobStore;
  presigner: Presigner;
}
