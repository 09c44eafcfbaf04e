import type { ApiErrorBody } from '../errors';

const MAX_DETAIL = 500;

function xmlTag(text: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(text);
  return match?.[1]?.trim();
}

/**
 * Reads an error response: PostHog's `{type, code, detail, attr}`, a bare `{detail}`, S3's XML
 * `<Error><Code>…</Code><Message>…</Message></Error>`, or else the first characters of the text.
 */
export function parseErrorBody(text: string): ApiErrorBody | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  if (trimmed.startsWith('{')) {
    try {
      const json = JSON.parse(trimmed) as Record<string, unknown>;
      const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
      const detail =
        str(json.detail) ?? (json.detail !== undefined ? JSON.stringify(json.detail) : undefined);
      const body: ApiErrorBody = { type: str(json.type), code: str(json.code), detail };
      if (typeof json.attr === 'string' || json.attr === null) body.attr = json.attr;
      return body;
    } catch {
      // not JSON after all: fall through to plain text
    }
  }
  if (trimmed.startsWith('<')) {
    const code = xmlTag(trimmed, 'Code');
    const message = xmlTag(trimmed, 'Message');
    if (code || message) return { code, detail: message ?? code };
  }
  return { detail: trimmed.length > MAX_DETAIL ? `${trimmed.slice(0, MAX_DETAIL)}…` : trimmed };
}

/** A URL without its query string and fragment: presigned URLs carry signatures there. */
export function redactUrl(url: URL | string): string {
  const parsed = new URL(String(url));
  return `${parsed.origin}${parsed.pathname}`;
}

/** Object storage refusing a presigned POST whose policy has expired (S3: 403 "Policy expired"). */
export function isExpiredPolicy(
  status: number,
  body: Pick<ApiErrorBody, 'code' | 'detail'> | undefined,
): boolean {
  return status === 403 && /expired/i.test(`${body?.code} ${body?.detail}`);
}
