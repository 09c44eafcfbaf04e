// The public API of @hogmaps/core: explicit named re-exports only.

export {
  createPostHogClient,
  type PostHogClient,
  type PostHogClientOptions,
  type PresignedPostOptions,
} from './api/client';
export { createClientFromOptions } from './api/client-from-options';
export {
  type ApiBasePath,
  type BulkCheckUploadRequest,
  type BulkCheckUploadResponse,
  type BulkFinishUploadRequest,
  type BulkStartUploadEntry,
  type BulkStartUploadRequest,
  type BulkStartUploadResponse,
  type CreateReleaseRequest,
  DEFAULT_BATCH_SIZE,
  DEFAULT_CONCURRENCY,
  errorTrackingPaths,
  type LegacyBulkStartUploadRequest,
  MAX_CHECK_BATCH,
  MAX_SYMBOL_SET_BYTES,
  type Page,
  type PageQuery,
  type PresignedPost,
  type ReleaseJson,
  type SymbolSetJson,
  type SymbolSetListQuery,
  type SymbolSetOrder,
  type SymbolSetUploadItem,
  type UpdateReleaseRequest,
} from './api/protocol';
export type { ReleasesApi } from './api/releases-api';
export { DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, type RetryPolicy } from './api/retry';
export type { SymbolSetsApi } from './api/symbol-sets-api';
export { HOGMAPS_VERSION, userAgent } from './api/user-agent';
export { keepWasmOnBaselineTier } from './api/wasm-tiering';
export { CHUNK_ID_NAMESPACE, type ComputeChunkIdOptions, computeChunkId } from './chunk-id/compute';
export { type DebugIdLookup, findDebugId, isAdoptableDebugId } from './chunk-id/debug-id';
export {
  detectChunkId,
  findInjectedSnippet,
  type InjectedSnippet,
  readInjectedChunkId,
} from './chunk-id/detect';
export { type DecodedSymbolSet, decodeSymbolSet } from './container/decode';
export {
  type EncodeSymbolSetOptions,
  encodeSymbolSet,
  encodeSymbolSetAsync,
  type SymbolSetInput,
} from './container/encode';
export { SYMBOL_SET_MAGIC, SYMBOL_SET_TYPES } from './container/format';
export { zstdAvailable, zstdDecompressorName } from './container/zstd';
export {
  ApiError,
  type ApiErrorBody,
  errorMessage,
  FileError,
  HogmapsError,
  isHogmapsError,
  type OptionIssue,
  OptionsError,
  shouldFailBuild,
} from './errors';
export { type DiscoverOptions, discoverSourcePairs, type PathFilter } from './files/discover';
export { isEmptySourceMap } from './files/empty-map';
export {
  describeSourcePairProblem,
  mapPathCandidates,
  type PairOptions,
  pairSourceMap,
  type SourcePairCandidate,
  type SourcePairProblem,
} from './files/pair';
export { toSafeFileName } from './files/safe-name';
export { findSourceMappingUrl, stripSourceMappingUrl } from './files/source-mapping-url';
export { type FindPairsOptions, findSourcePairs } from './folder/find-pairs';
export {
  type DirectoryReport,
  type FolderSessionHandoff,
  type FolderStep,
  type ProcessDirectoryInput,
  processDirectory,
} from './folder/process';
export type { FolderContext, FolderEntry, SourcePair } from './folder/types';
export { OFFLINE_CLIENT } from './folder/upload-entries';
export {
  appendChunkIdComment,
  type InjectOptions,
  type InjectResult,
  injectChunk,
  type MagicStringLike,
} from './inject/inject';
export {
  type InjectFileOptions,
  type InjectFileResult,
  injectFileOnDisk,
  injectSourcePair,
  type SourcePairInput,
  type SourcePairResult,
} from './inject/inject-file';
export { findInjectionOffset } from './inject/prologue';
export {
  createChunkIdComment,
  createSnippet,
  isValidChunkId,
  SNIPPET_TEMPLATE,
  SNIPPET_WITH_RELEASE_TEMPLATE,
} from './inject/snippet';
export {
  createLogger,
  isLogLevel,
  LOG_LEVELS,
  type Logger,
  type LoggerOptions,
  type LogLevel,
} from './logger';
export { describeMissingCredentials, describeOptions } from './options/describe';
export { maskUrlCredentials } from './options/env';
export { DEFAULT_HOST } from './options/network';
export { DEFAULT_MANIFEST_FILE, resolveOptions } from './options/resolve';
export type {
  ApiKeySource,
  Compression,
  Credentials,
  FilePattern,
  OptionNote,
  Options,
  ProjectIdSource,
  ReleaseMode,
  ResolvedOptions,
  SourcemapsOptions,
  UploadThread,
} from './options/types';
export {
  type BuildReporter,
  createPluginContext,
  type PluginContext,
  type PluginMeta,
} from './plugin/context';
export {
  createHogmapsUnplugin,
  type HogmapsUnplugin,
  PLUGIN_NAME,
  type UnpluginMeta,
} from './plugin/factory';
export type { CiInfo, CiProvider, CiProviderName } from './release/ci/provider';
export { CI_PROVIDERS, detectCiProvider } from './release/ci/registry';
export { type GitInfo, readGitInfo } from './release/git';
export { computeReleaseHashId, packVersion } from './release/hash';
export {
  type DetectReleaseIdentityInput,
  detectReleaseIdentity,
  type ReleaseGitMetadata,
  type ReleaseIdentity,
  type ReleaseMetadata,
  type ReleaseSource,
} from './release/identity';
export { type PackageJsonInfo, readNearestPackageJson } from './release/package-json';
export { repoNameFromRemoteUrl, sanitizeRemoteUrl } from './release/remote-url';
export { fetchOrCreateRelease, type ReleaseApi } from './release/resolve';
export { maskApiKey, maskSecrets, registerSecret, registerUrlCredentials } from './secrets';
export {
  chunksToRetry,
  type Manifest,
  type ManifestChunk,
  type ManifestChunkStatus,
  readManifest,
  writeManifest,
} from './session/manifest';
export {
  isPendingMapPath,
  type ManifestChunkFiles,
  resolveManifestChunkFiles,
} from './session/manifest-files';
export { disposeMaps, pendingMapsDir } from './session/map-policy';
export { getBuildSession, resetBuildSessions } from './session/registry';
export {
  type BuildChunk,
  type BuildReport,
  type BuildResult,
  type BuildSession,
  type BundlerName,
  createBuildSession,
  type InjectionContext,
  type SessionMeta,
} from './session/session';
export { formatBytes, formatDuration, formatSummary } from './session/summary';
export { eventContentHash } from './upload/event-hash';
export { type PathInput, uploadInputsFrom } from './upload/path-inputs';
export { uploadSymbolSets } from './upload/pipeline';
export { readSourcePair } from './upload/read-pair';
export { uploadSettingsFrom } from './upload/settings';
export type {
  UploadClient,
  UploadFailure,
  UploadInput,
  UploadOptions,
  UploadProgressEvent,
  UploadSummary,
} from './upload/types';
