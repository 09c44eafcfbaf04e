// undici parses HTTP/1.1 with llhttp compiled to WebAssembly. V8 runs it on its baseline compiler
// (Liftoff) and, once the parser's one large function has run enough (one response on Node 20, a
// few on Node 22 to 26), recompiles it with TurboFan on a background thread: 182 ms of CPU and
// 29 MB of compiler memory on Node 20 here (`--trace-wasm-compilation-times`), 70–110 ms on Node
// 22, 24 and 26, in the middle of the upload that made the requests. The parser reads a few hundred
// bytes of headers per response, which baseline code handles as fast as it matters.
//
// V8's tiering budget decides when: at its largest it postpones the recompile for some 200 to 400
// responses, past a typical upload (about 160 requests for 150 chunks); a larger one still pays it,
// once, later. The flag is process-wide: every WebAssembly module compiled after it stays on the
// baseline tier as long. So only a program that owns its process calls this before its first
// request (the CLI's commands, not `hogmaps serve`, whose SQLite is WebAssembly on Node 20), never
// a bundler plugin, whose process is the user's build.
import { setFlagsFromString } from 'node:v8';

/** The largest budget V8 takes (the flag is an int). */
const TIERING_BUDGET = 2 ** 31 - 1;

/**
 * Node majors whose V8 has `--wasm-tiering-budget` (checked with `node --v8-options` on 20, 22, 24
 * and 26): V8 prints an error for a flag it does not know, so an untested Node is left alone.
 */
const KNOWN_MAJORS = { from: 20, to: 26 };

let kept = false;

/**
 * Keeps WebAssembly compiled from now on at V8's baseline tier for the next few hundred HTTP
 * responses (see above); true when the flag was set (now or before), false on a Node this was not
 * checked on. Once per process; call it before the first request.
 */
export function keepWasmOnBaselineTier(nodeVersion: string = process.versions.node): boolean {
  if (kept) return true;
  const major = Number(nodeVersion.split('.')[0]);
  if (!(major >= KNOWN_MAJORS.from && major <= KNOWN_MAJORS.to)) return false;
  setFlagsFromString(`--wasm-tiering-budget=${TIERING_BUDGET}`);
  kept = true;
  return true;
}
