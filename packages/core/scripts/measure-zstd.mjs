#!/usr/bin/env node
// Measures symbol-set compression options (size and speed) on real minified JS + source maps.
//
//   node packages/core/scripts/measure-zstd.mjs [--repeat 3] [--no-bundles]
//
// Corpus: every `*.js.map` over 200 KiB in the workspace's node_modules that has its `.js` beside
// it (posthog-js's own dist is the closest to a real app), plus minified esbuild bundles of a few
// installed packages. Each pair becomes one SourceAndMap payload (u64 len | js | u64 len | map).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const coreRequire = createRequire(join(here, '../package.json'));
const serverRequire = createRequire(join(root, 'packages/server/package.json'));
const args = process.argv.slice(2);
const repeat = Number(args[args.indexOf('--repeat') + 1]) || 3;

function payload(js, map) {
  const a = Buffer.from(js);
  const b = Buffer.from(map);
  const out = Buffer.allocUnsafe(16 + a.length + b.length);
  out.writeBigUInt64LE(BigInt(a.length), 0);
  a.copy(out, 8);
  out.writeBigUInt64LE(BigInt(b.length), 8 + a.length);
  b.copy(out, 16 + a.length);
  return out;
}

function existingMaps() {
  const found = execFileSync(
    'find',
    [join(root, 'node_modules/.pnpm'), '-name', '*.js.map', '-size', '+200k'],
    {
      encoding: 'utf8',
    },
  );
  return found
    .split('\n')
    .filter((file) => file && existsSync(file.slice(0, -4)))
    .map((file) => ({
      name: relative(root, file),
      data: payload(readFileSync(file.slice(0, -4)), readFileSync(file)),
    }));
}

async function bundles() {
  if (args.includes('--no-bundles')) return [];
  const esbuild = serverRequire('esbuild');
  const out = [];
  for (const [name, from] of [
    ['posthog-js', serverRequire],
    ['playwright-core', serverRequire],
    ['undici', coreRequire],
    ['magic-string', coreRequire],
  ]) {
    try {
      const result = await esbuild.build({
        entryPoints: [from.resolve(name)],
        bundle: true,
        minify: true,
        sourcemap: 'external',
        write: false,
        platform: 'node',
        format: 'esm',
        outdir: '/tmp/hogmaps-measure',
        logLevel: 'silent',
        external: ['fsevents', 'chromium-bidi/*', 'electron'],
      });
      const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
      const map = result.outputFiles.find((f) => f.path.endsWith('.js.map'));
      if (js && map)
        out.push({ name: `esbuild bundle of ${name}`, data: payload(js.contents, map.contents) });
    } catch (error) {
      console.error(`(skipped bundling ${name}: ${error.message.split('\n')[0]})`);
    }
  }
  return out;
}

function time(fn) {
  let best = Infinity;
  let result;
  for (let i = 0; i < repeat; i++) {
    const started = process.hrtime.bigint();
    result = fn();
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { ms: best, result };
}

async function codecs() {
  const list = [{ name: 'none (v2, compression 0)', compress: (d) => d, decompress: (d) => d }];
  const z = zlib;
  if (typeof z.zstdCompressSync === 'function') {
    for (const level of [1, 3, 9]) {
      list.push({
        name: `node:zlib zstd level ${level}`,
        compress: (d) =>
          z.zstdCompressSync(d, {
            params: { [z.constants.ZSTD_c_compressionLevel]: level },
            pledgedSrcSize: d.length,
          }),
        decompress: (d) => z.zstdDecompressSync(d),
      });
    }
  } else {
    console.log(`node:zlib zstd: not available on Node ${process.version}`);
  }
  try {
    const { Encoder, Decoder } = coreRequire('@toondepauw/node-zstd');
    const decoder = new Decoder();
    for (const level of [1, 3, 6, 9, 19]) {
      const encoder = new Encoder(level);
      list.push({
        name: `@toondepauw/node-zstd level ${level}`,
        compress: (d) => encoder.encodeSync(d),
        decompress: (d) => decoder.decodeSync(d),
      });
    }
  } catch (error) {
    console.log(`@toondepauw/node-zstd: not available (${error.message})`);
  }
  try {
    const wasm = coreRequire('@bokuweb/zstd-wasm');
    await wasm.init();
    list.push({
      name: '@bokuweb/zstd-wasm level 3',
      compress: (d) => Buffer.from(wasm.compress(d, 3)),
      decompress: (d) => wasm.decompress(d),
    });
  } catch (error) {
    console.log(`@bokuweb/zstd-wasm: not available (${error.message})`);
  }
  const fzstd = coreRequire('fzstd');
  list.push({
    name: 'gzip level 6 (reference)',
    compress: (d) => zlib.gzipSync(d, { level: 6 }),
    decompress: (d) => zlib.gunzipSync(d),
  });
  return { list, fzstd };
}

const corpus = [...existingMaps(), ...(await bundles())];
const total = corpus.reduce((n, f) => n + f.data.length, 0);
const mb = (bytes) => (bytes / 1048576).toFixed(1);
console.log(
  `Node ${process.version}, ${corpus.length} payloads, ${mb(total)} MiB (largest ${mb(Math.max(...corpus.map((f) => f.data.length)))} MiB), best of ${repeat}\n`,
);

const sha = time(() => corpus.map((f) => createHash('sha512').update(f.data).digest('hex')));
console.log(`SHA-512: ${(total / 1048576 / (sha.ms / 1000)).toFixed(0)} MB/s\n`);

const { list, fzstd } = await codecs();
const rows = [];
for (const codec of list) {
  const packed = time(() => corpus.map((f) => codec.compress(f.data)));
  const unpacked = time(() => packed.result.map((c) => codec.decompress(c)));
  const size = packed.result.reduce((n, c) => n + c.length, 0);
  const ok = unpacked.result.every((d, i) => Buffer.compare(Buffer.from(d), corpus[i].data) === 0);
  const row = {
    option: codec.name,
    'out MiB': mb(size),
    ratio: (total / size).toFixed(2),
    'compress MB/s': codec.name.startsWith('none') ? '-' : (total / 1048576 / (packed.ms / 1000)).toFixed(0),
    'decompress MB/s': codec.name.startsWith('none')
      ? '-'
      : (total / 1048576 / (unpacked.ms / 1000)).toFixed(0),
    'round trip': ok ? 'ok' : 'MISMATCH',
  };
  if (codec.name.includes('zstd level 3')) {
    const js = time(() => packed.result.map((c) => fzstd.decompress(c)));
    row['fzstd (JS) MB/s'] = (total / 1048576 / (js.ms / 1000)).toFixed(0);
  }
  rows.push(row);
}
console.table(rows);
