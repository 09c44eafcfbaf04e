import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentClasses } from './undici';

const require = createRequire(import.meta.url);
const undiciIndexLoaded = () =>
  Object.keys(require.cache).some((file) => /[\\/]undici[\\/]index\.js$/.test(file));

let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'text/plain' });
      res.end(`${req.method} ${req.url} ${body}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function roundTrip(Agent: ReturnType<typeof agentClasses>['Agent']): Promise<string> {
  const agent = new Agent({ keepAliveTimeout: 1000 });
  try {
    const response = await agent.request({ origin, path: '/upload?x=1', method: 'POST', body: 'bytes' });
    expect(response.statusCode).toBe(201);
    return await response.body.text();
  } finally {
    await agent.close();
  }
}

describe('agentClasses', () => {
  it("loads the Agent and `request` from undici's own files, without its index, and they work", async () => {
    const classes = agentClasses();
    expect(classes.loadedFrom).toBe('files');
    expect(await roundTrip(classes.Agent)).toBe('POST /upload?x=1 bytes');
    expect(undiciIndexLoaded()).toBe(false);
    expect(agentClasses()).toBe(classes);
    // A proxy takes the whole of undici (client.test.ts sends requests through one).
    expect(classes.ProxyAgent()).toBe(require('undici').ProxyAgent);
  });

  it("falls back to undici's index when its files are not where they were", async () => {
    const moved = (id: string) => {
      if (id.startsWith('undici/lib/'))
        throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
      return require(id);
    };
    const classes = agentClasses(moved);
    expect(classes.loadedFrom).toBe('index');
    expect(await roundTrip(classes.Agent)).toBe('POST /upload?x=1 bytes');
    expect(classes.ProxyAgent()).toBe(require('undici').ProxyAgent);
  });
});
