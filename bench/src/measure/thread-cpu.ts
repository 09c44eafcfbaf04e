// CPU time of this process's main thread, from /proc (Linux only). An upload's other threads (zstd
// on libuv's pool, V8's helpers) run beside it, so the main thread's CPU is a least wall time for the
// upload at the CPU it spends; the report sets it beside the targets. The other threads' CPU also
// tells when work started in the background (a bundler's import) is done, before timing what follows.
import { readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuTimesAt } from './fork-measured';

/** User + system CPU of the main thread so far in ms, or undefined where /proc does not tell. */
function mainThreadCpuMs(): number | undefined {
  const times = cpuTimesAt(`/proc/self/task/${process.pid}/stat`);
  return times && times.userMs + times.systemMs;
}

/** Starts timing the main thread; the function it returns gives its CPU since, or undefined. */
export function timeMainThread(): () => number | undefined {
  const before = mainThreadCpuMs();
  return () => {
    const after = mainThreadCpuMs();
    return before === undefined || after === undefined ? undefined : after - before;
  };
}

/** User + system CPU so far of this process's threads other than the main one, in ms (Linux only). */
function otherThreadsCpuMs(): number | undefined {
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return undefined;
  }
  let total = 0;
  for (const task of tasks) {
    if (task === String(process.pid)) continue;
    const times = cpuTimesAt(`/proc/self/task/${task}/stat`);
    if (times) total += times.userMs + times.systemMs;
  }
  return total;
}

/**
 * Waits, idle, until this process's other threads have spent no CPU for `quietMs` (at most `limitMs`).
 * esbuild's import leaves one of V8's helper threads busy for about 40 ms after it returns; without
 * the wait, that lands in whatever is timed next.
 */
export async function untilOtherThreadsQuiet(quietMs = 60, limitMs = 2000): Promise<void> {
  const started = performance.now();
  let last = otherThreadsCpuMs();
  if (last === undefined) return;
  let quietSince = started;
  while (performance.now() - started < limitMs) {
    await sleep(20);
    const now: number = otherThreadsCpuMs() ?? last;
    if (now !== last) quietSince = performance.now();
    else if (performance.now() - quietSince >= quietMs) break;
    last = now;
  }
}
