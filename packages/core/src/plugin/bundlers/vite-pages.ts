// Vite apps built from HTML pages: with `releaseInjection: 'entries'` the page carries the release, not
// its entry chunk. Vite keeps the code an app's lazy chunks share with the entry (and its preload
// helper) in the entry chunk, so they import it by its content-hashed name: a release id in the entry
// would rename the entry and every such chunk on every release. Instead the page loads a small script
// that sets `_posthogReleaseId` before its module scripts run (a deferred classic script, placed
// first: deferred and module scripts run in document order). The script's name follows its bytes (the
// release id), the page is not content-hashed, and the JS chunks keep their bytes across releases.
// External rather than inline, so that a CSP without 'unsafe-inline' allows it (Vite adds its
// `html.cspNonce` to it as to every script tag).
import type { IndexHtmlTransformContext } from 'vite';
import { createReleaseScript } from '../../inject/snippet';
import type { PluginContext } from '../context';

/** The chunk Vite built from an HTML page's module scripts: its facade module is the page. */
export function isPageEntry(chunk: { isEntry: boolean; facadeModuleId?: string | null }): boolean {
  return chunk.isEntry && typeof chunk.facadeModuleId === 'string' && chunk.facadeModuleId.endsWith('.html');
}

/** Whether pages carry the release in this build (Vite, event mode's default injection). */
export function pagesCarryRelease(context: PluginContext): boolean {
  return context.options.sourcemaps.releaseInjection === 'entries';
}

interface EmitContext {
  emitFile(file: { type: 'asset'; name: string; source: string }): string;
}

/**
 * Vite's `transformIndexHtml` (build, last): adds the release script to each page whose entry chunk
 * was left without the release. Vite calls it with the HTML plugin's context of the output being
 * written, so the script is emitted into that output, once, and its `__VITE_ASSET__` placeholder
 * becomes the URL Vite writes for any asset of the page (`base`, relative base, `renderBuiltUrl`).
 */
export function createPageReleaseHook(context: PluginContext) {
  const emitted = new WeakMap<object, string>();
  return {
    order: 'post' as const,
    handler(this: EmitContext, _html: string, page: IndexHtmlTransformContext) {
      const { chunk, bundle } = page;
      if (!chunk || !bundle || !pagesCarryRelease(context) || !isPageEntry(chunk)) return;
      const releaseId = context.releaseIdFor(true);
      if (releaseId === undefined) return;
      let reference = emitted.get(bundle);
      if (reference === undefined) {
        reference = this.emitFile({
          type: 'asset',
          name: 'hogmaps-release.js',
          source: createReleaseScript(releaseId),
        });
        emitted.set(bundle, reference);
      }
      return [
        {
          tag: 'script',
          attrs: { src: `__VITE_ASSET__${reference}__`, defer: true },
          injectTo: 'head-prepend' as const,
        },
      ];
    },
  };
}
