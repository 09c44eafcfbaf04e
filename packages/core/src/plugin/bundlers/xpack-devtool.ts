import type { XpackApi, XpackCompiler, XpackSourceMapDevToolOptions } from './xpack-types';

/** JavaScript assets, also with a `?query` or `#hash` suffix (webpack's own devtool test, minus CSS). */
export const JS_ASSET = /\.[cm]?js(?:$|[?#])/i;

/**
 * Where a compiler's JavaScript source maps come from:
 * - `ours`: maps are off (devtool unset or `false`, as Next.js sets it), so hogmaps adds hidden maps
 *   (no sourceMappingURL) that never ship;
 * - `user`: the user's devtool or SourceMapDevToolPlugin writes map files, which stay theirs;
 * - `none`: no map files (`eval`, `inline`, a development default, or no credentials): chunk ids only.
 */
export interface SourceMapPlan {
  kind: 'ours' | 'user' | 'none';
  /** Why credentials present but maps absent means nothing is uploaded; reported once as a warning. */
  warning: string | undefined;
}

/**
 * The devtool for JavaScript as configured: a string, `false` (explicitly off), or `undefined` (not set).
 * webpack 5.112 also accepts `[{ type: 'javascript' | 'css' | 'all', use }]`.
 */
export function javascriptDevtool(devtool: unknown): string | false | undefined {
  if (devtool === undefined || devtool === null) return undefined;
  if (typeof devtool === 'string') return devtool === '' ? false : devtool;
  if (Array.isArray(devtool)) {
    const item = devtool.find(
      (entry: { type?: unknown } | undefined) => entry?.type === 'javascript' || entry?.type === 'all',
    ) as { use?: unknown } | undefined;
    return typeof item?.use === 'string' && item.use !== '' ? item.use : false;
  }
  return false;
}

/** A devtool that writes `.map` files (as opposed to `eval*` or `inline-*`). */
function writesMapFiles(devtool: string): boolean {
  return devtool.includes('source-map') && !devtool.includes('eval') && !devtool.includes('inline');
}

/** The user added webpack's / rspack's SourceMapDevToolPlugin themselves (often with `devtool: false`). */
export function hasMapPlugin(compiler: XpackCompiler, api: XpackApi): boolean {
  return compiler.options.plugins.some((plugin) => plugin instanceof api.SourceMapDevToolPlugin);
}

/**
 * Decides the plan from the user's configuration. Call it when the plugin is applied, before webpack or
 * rspack fill in their defaults (`compiler.options.devtool` is still `undefined` when the user set none);
 * `effective` is the devtool after defaults (read in `afterEnvironment`), since a development build's
 * default devtool (`eval`, or rspack's `cheap-module-source-map`) is left alone.
 */
export function planSourceMaps(input: {
  configured: unknown;
  effective: unknown;
  userMapPlugin: boolean;
  wantsMaps: boolean;
}): SourceMapPlan {
  if (input.userMapPlugin) return { kind: 'user', warning: undefined };
  const configured = javascriptDevtool(input.configured);
  const devtool = configured === undefined ? javascriptDevtool(input.effective) : configured;
  // Off, whoever turned it off (a framework's default is not the user's choice): only hogmaps' own
  // `sourcemaps.enabled: false` turns the upload off.
  if (!devtool) {
    return input.wantsMaps ? { kind: 'ours', warning: undefined } : { kind: 'none', warning: undefined };
  }
  if (writesMapFiles(devtool)) return { kind: 'user', warning: undefined };
  return {
    kind: 'none',
    warning: input.wantsMaps ? noMapsWarning(devtool, configured) : undefined,
  };
}

function noMapsWarning(devtool: string, configured: string | false | undefined): string {
  const consequence = 'chunk ids are injected but no source maps are uploaded';
  if (configured === undefined) {
    return `the default devtool '${devtool}' of this mode writes no source map files: ${consequence}. Set devtool: 'hidden-source-map' to upload them.`;
  }
  return `devtool '${devtool}' writes no source map files: ${consequence}. Use 'hidden-source-map' (or leave devtool unset) to upload them.`;
}

/** The options of the hidden maps hogmaps adds: like webpack's `hidden-source-map`, for JavaScript only,
 * so no CSS map is ever made for nothing. Output defaults are applied by the time this is called. */
export function hiddenMapOptions(compiler: XpackCompiler): XpackSourceMapDevToolOptions {
  const output = compiler.options.output;
  return {
    filename: '[file].map[query]',
    append: false,
    noSources: false,
    test: JS_ASSET,
    ...(output.devtoolModuleFilenameTemplate !== undefined
      ? { moduleFilenameTemplate: output.devtoolModuleFilenameTemplate }
      : {}),
    ...(output.devtoolFallbackModuleFilenameTemplate !== undefined
      ? { fallbackModuleFilenameTemplate: output.devtoolFallbackModuleFilenameTemplate }
      : {}),
    ...(output.devtoolNamespace ? { namespace: output.devtoolNamespace } : {}),
  };
}
