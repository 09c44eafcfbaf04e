// `@hogmaps/core/plugin`: what a bundler adapter loads, the unplugin factory and the plugin path
// (options, session, injection, chunk ids). The upload pipeline and the API client are loaded by the
// session when a build first uses them, and the rest of core (CLI and folder pipelines, the public
// helpers) stays in `@hogmaps/core`, so loading an adapter costs little (#14). Both entries share
// their modules, so one process never has two copies of one.
export { createHogmapsUnplugin, type HogmapsUnplugin, PLUGIN_NAME, type UnpluginMeta } from './factory';
