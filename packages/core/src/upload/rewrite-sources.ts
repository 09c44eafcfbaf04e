type MapLike = { sources?: unknown; sections?: Array<{ map?: MapLike }> };

/** A source-map JSON with each `sources` entry passed through `rewrite` (index-map sections too). */
export function rewriteMapSources(map: Uint8Array | string, rewrite: (source: string) => string): string {
  const json = JSON.parse(typeof map === 'string' ? map : Buffer.from(map).toString('utf8')) as MapLike;
  const visit = (node: MapLike | undefined) => {
    if (!node) return;
    if (Array.isArray(node.sources)) {
      node.sources = node.sources.map((source) => (typeof source === 'string' ? rewrite(source) : source));
    }
    if (Array.isArray(node.sections)) for (const section of node.sections) visit(section.map);
  };
  visit(json);
  return JSON.stringify(json);
}
