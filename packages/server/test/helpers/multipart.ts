export interface FormPart {
  name: string;
  value: string | Buffer;
  filename?: string;
  contentType?: string;
}

export const BOUNDARY = '----hogmapsTestBoundary7MA4YWxkTrZu0gW';

/** A multipart/form-data body with exact bytes, in the given part order. */
export function multipartBody(parts: FormPart[], boundary = BOUNDARY): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let disposition = `form-data; name="${part.name}"`;
    if (part.filename !== undefined) disposition += `; filename="${part.filename}"`;
    let head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n`;
    if (part.contentType) head += `Content-Type: ${part.contentType}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`), Buffer.from(part.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

export function multipartHeaders(body: Buffer, boundary = BOUNDARY): Record<string, string | number> {
  return { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length };
}

/** The form PostHog's CLI posts to a presigned URL: every field, then `file` with a filename. */
export function presignedForm(fields: Record<string, string>, file: Buffer, filename = 'file'): Buffer {
  return multipartBody([
    ...Object.entries(fields).map(([name, value]) => ({ name, value })),
    { name: 'file', value: file, filename, contentType: 'application/octet-stream' },
  ]);
}
