// The public API of @hogmaps/core: explicit named re-exports only.
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
export {
  createLogger,
  isLogLevel,
  LOG_LEVELS,
  type Logger,
  type LoggerOptions,
  type LogLevel,
} from './logger';
export { describeMissingCredentials, describeOptions, maskApiKey } from './options/describe';
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
} from './options/types';
export { computeReleaseHashId, packVersion } from './release/hash';
export {
  detectReleaseIdentity,
  type DetectReleaseIdentityInput,
  type ReleaseIdentity,
  type ReleaseMetadata,
  type ReleaseGitMetadata,
  type ReleaseSource,
} from './release/identity';
export { fetchOrCreateRelease, type ReleaseApi, type CreateReleaseBody } from './release/resolve';
export { readGitInfo, type GitInfo } from './release/git';
export { readNearestPackageJson, type PackageJsonInfo } from './release/package-json';
export { CI_PROVIDERS, detectCiProvider } from './release/ci/registry';
export type { CiInfo, CiProvider, CiProviderName } from './release/ci/provider';
export { sanitizeRemoteUrl, repoNameFromRemoteUrl } from './release/remote-url';
export { discoverSourcePairs, type DiscoverOptions, type PathFilter } from './files/discover';
export {
  pairSourceMap,
  mapPathCandidates,
  describeSourcePairProblem,
  type SourcePairCandidate,
  type SourcePairProblem,
  type PairOptions,
} from './files/pair';
export { findSourceMappingUrl, stripSourceMappingUrl } from './files/source-mapping-url';
export { isEmptySourceMap } from './files/empty-map';
export {
  createBuildSession,
  type BuildChunk,
  type BuildReport,
  type BuildResult,
  type BuildSession,
  type BundlerName,
  type InjectionContext,
  type SessionMeta,
} from './session/session';
export { getBuildSession, resetBuildSessions } from './session/registry';
export {
  chunksToRetry,
  type Manifest,
  type ManifestChunk,
  type ManifestChunkStatus,
  readManifest,
  writeManifest,
} from './session/manifest';
export { disposeMaps, pendingMapsDir } from './session/map-policy';
export { formatBytes, formatDuration, formatSummary } from './session/summary';
export { CHUNK_ID_NAMESPACE, computeChunkId, type ComputeChunkIdOptions } from './chunk-id/compute';
export { detectChunkId, findInjectedSnippet, type InjectedSnippet, readInjectedChunkId } from './chunk-id/detect';
export {
  appendChunkIdComment,
  injectChunk,
  type InjectOptions,
  type InjectResult,
  type MagicStringLike,
} from './inject/inject';
export {
  injectFileOnDisk,
  injectSourcePair,
  type InjectFileOptions,
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
export { createHogmapsUnplugin, type HogmapsUnplugin, PLUGIN_NAME } from './plugin/factory';
export { type BuildReporter, createPluginContext, type PluginContext } from './plugin/context';
export {
  type EncodeSymbolSetOptions,
  encodeSymbolSet,
  encodeSymbolSetAsync,
  type SymbolSetInput,
} from './container/encode';
export { type DecodedSymbolSet, decodeSymbolSet } from './container/decode';
export { zstdAvailable, zstdDecompressorName } from './container/zstd';
export { SYMBOL_SET_MAGIC, SYMBOL_SET_TYPES } from './container/format';
export {
  createPostHogClient,
  type PostHogClient,
  type PostHogClientOptions,
  type PresignedPostOptions,
} from './api/client';
export type { ReleasesApi } from './api/releases-api';
export type { SymbolSetsApi } from './api/symbol-sets-api';
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
export { DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, type RetryPolicy } from './api/retry';
export { HOGMAPS_VERSION, userAgent } from './api/user-agent';
export { uploadSymbolSets } from './upload/pipeline';
export type {
  UploadClient,
  UploadFailure,
  UploadInput,
  UploadOptions,
  UploadProgressEvent,
  UploadSummary,
} from './upload/types';
