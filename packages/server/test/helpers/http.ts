import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  /** The body parsed as JSON (undefined when empty or not JSON); tests assert its shape. */
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the assertions that read them
  json: any;
}

export interface HttpOptions {
  headers?: Record<string, string | number>;
  /** A string or Buffer is sent as is; any other value as JSON (with its content type). */
  body?: unknown;
  /** Streams the body from these chunks instead (for uploads larger than memory should hold). */
  stream?: AsyncIterable<Buffer> | Iterable<Buffer>;
}

// No keep-alive: every test request stands alone and server.close() never waits on idle sockets.
const agent = new Agent({ keepAlive: false });

/** A tiny HTTP client on node:http, so tests control exact bytes, headers and paths. */
export function http(method: string, url: string, options: HttpOptions = {}): Promise<HttpResponse> {
  const headers: Record<string, string | number> = { ...options.headers };
  let payload: Buffer | undefined;
  if (options.body !== undefined) {
    if (typeof options.body === 'string' || Buffer.isBuffer(options.body)) {
      payload = Buffer.from(options.body as string | Buffer);
    } else {
      payload = Buffer.from(JSON.stringify(options.body));
      headers['content-type'] ??= 'application/json';
    }
    headers['content-length'] ??= payload.length;
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json });
      });
    });
    req.on('error', reject);
    if (options.stream) {
      void (async () => {
        for await (const chunk of options.stream!) {
          if (!req.write(chunk)) await new Promise((done) => req.once('drain', done));
          if (req.destroyed) return;
        }
        req.end();
      })().catch(reject);
    } else {
      req.end(payload);
    }
  });
}
