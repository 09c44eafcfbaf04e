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
