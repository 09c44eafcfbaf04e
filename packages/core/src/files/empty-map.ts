function isBlank(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string' || Array.isArray(value)) return value.length === 0;
  return false;
}

/**
 * PostHog's "empty" source map (`is_empty` in the CLI's content.rs): no mappings, no sources and no
 * names, and every section of an index map empty too. Such maps are skipped at upload: bundlers emit
 * them for wrapper chunks with no code of their own. A value that is not an object is not judged here
 * (map validation reports it).
 */
export function isEmptySourceMap(json: unknown): boolean {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return false;
  const map = json as Record<string, unknown>;
  if (!isBlank(map.mappings) || !isBlank(map.sources) || !isBlank(map.names)) return false;
  if (map.sections === undefined || map.sections === null) return true;
  if (!Array.isArray(map.sections)) return false;
  return map.sections.every((section: unknown) => {
    const inner = (section as { map?: unknown } | null)?.map;
    return inner === undefined || inner === null || isEmptySourceMap(inner);
  });
}
