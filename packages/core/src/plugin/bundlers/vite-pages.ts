// Vite apps built from HTML pages: with `releaseInjection: 'entries'` the page carries the release, not
// its entry chunk. Vite keeps the code an app's lazy chunks share with the entry (and its preload
// helper) in the entry chunk, so they import it by its content-hashed name: a release id in the entry
// would rename the entry and every such chunk on every release. Instead the page loads a small script
// that sets `_posthogReleaseId` before its module scripts run (a deferred classic script, placed
// first: deferred and module scripts run in document order). The script's name follows its bytes (the
// release id), the page is not content-hashed, and the JS chunks keep their bytes across releases.
// External rather than inline, so that a CSP without 'unsafe-inline' allows it (Vite adds its
// `html.cspNonce` to it as to every script tag).
import path from 'node:path';
import type { IndexHtmlTransformContext } from 'vite';
import { createReleaseScript } from '../../inject/snippet';
import type { PluginContext } from '../context';
import type { BundleLike } from './rollup-output';

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
  getFileName(reference: string): string;
}

/**
 * Vite's `transformIndexHtml` (build, last) adds the release script to each page whose entry chunk
 * was left without the release. Vite calls it with the HTML plugin's context of the output being
 * written, so the script is emitted into that output, once, and its `__VITE_ASSET__` placeholder
 * becomes the URL Vite writes for any asset of the page (`base`, relative base, `renderBuiltUrl`).
 * `check`, from writeBundle (every plugin's generateBundle is done), warns about a page that no longer
 * loads the script (a later plugin rewrote the page or dropped the file): its errors would carry no
 * release. A build that is not written (`build.write: false`) is not checked.
 */
export function createVitePages(context: PluginContext) {
  /** Per output bundle being written: the script's reference. */
  const scripts = new WeakMap<object, string>();
  /** Each page given the script (its output file name) and the script's file name, until checked. */
  const pending = new Map<string, string>();

  const transformIndexHtml = {
    order: 'post' as const,
    handler(this: EmitContext, _html: string, page: IndexHtmlTransformContext) {
      const { chunk, bundle } = page;
      if (!chunk || !bundle || !pagesCarryRelease(context) || !isPageEntry(chunk)) return;
      const releaseId = context.releaseIdFor(true);
      if (releaseId === undefined) return;
      let reference = scripts.get(bundle);
      if (reference === undefined) {
        reference = this.emitFile({
          type: 'asset',
          name: 'hogmaps-release.js',
          source: createReleaseScript(releaseId),
        });
        scripts.set(bundle, reference);
      }
      // Vite writes the page at its path under the root, which `page.path` gives with a leading '/'.
      pending.set(page.path.replace(/^\//, ''), this.getFileName(reference));
      return [
        {
          tag: 'script',
          attrs: { src: `__VITE_ASSET__${reference}__`, defer: true },
          injectTo: 'head-prepend' as const,
        },
      ];
    },
  };

  function check(hook: { warn(message: string): void }, bundle: BundleLike): void {
    for (const [page, script] of pending) {
      const file = bundle[page];
      if (file?.type !== 'asset') continue;
      pending.delete(page);
      const html = typeof file.source === 'string' ? file.source : Buffer.from(file.source).toString('utf8');
      if (html.includes(path.posix.basename(script)) && bundle[script] !== undefined) continue;
      hook.warn(
        `${page} no longer loads ${script}, which sets the release id (a plugin after hogmaps changed the page or removed the file): errors from that page reach PostHog without $release_id, though their stack traces still resolve. Set sourcemaps.releaseInjection: 'entry-chunks' to put the release into the entry chunks instead.`,
      );
    }
  }

  return { transformIndexHtml, check };
}
