// CPU time of this process's main thread, from /proc (Linux only). An upload's other threads (zstd
// on libuv's pool, V8's helpers) run beside it, so the main thread's CPU is a least wall time for the
// upload at the CPU it spends; the report sets it beside the targets.
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
