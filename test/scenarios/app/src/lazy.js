// Loaded with import(): every bundler puts it in a chunk of its own.
export const LAZY_REVISION = 1;

export function failLazily(depth) {
  if (depth > LAZY_REVISION) {
    throw new RangeError('hogmaps-boom-lazy');
  }
  return failLazily(depth + 1);
}
