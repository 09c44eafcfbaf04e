/** Milliseconds since the epoch. Injectable so tests can expire presigned URLs without waiting. */
export type Clock = () => number;

/** DRF's DateTimeField output, in UTC with a `Z`. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
