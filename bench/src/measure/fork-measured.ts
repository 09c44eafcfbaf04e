// Runs a script in a fresh Node process and measures it from the outside: wall time from fork to
// exit, and peak RSS of the whole process tree (esbuild's service is a separate Go process; rspack
// and rolldown threads are in the Node process), sampled from /proc.
import { fork } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';

export interface Measured<T> {
  wallMs: number;
  /** Peak summed RSS of the child and its descendants, in bytes (0 where /proc is missing). */
  treeRss: number;
  /** The message the child sent, if any. */
  report: T | undefined;
  exitCode: number | null;
  /** The tail of the child's stdout and stderr, for error messages. */
  output: string;
}

/** The child's report; throws, naming `what` with the tail of its output, when it failed or sent none. */
export function reportOf<T>(measured: Measured<T>, what: string): T {
  if (measured.exitCode === 0 && measured.report !== undefined) return measured.report;
  const tail = measured.output.trim().split('\n').slice(-15).join('\n');
  throw new Error(`${what} failed (exit code ${measured.exitCode})\n${tail}`);
}

const SAMPLE_MS = 20;
const OUTPUT_TAIL = 8000;

function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  const found: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (text) found.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    // The process ended between two reads.
  }
  return found;
}

/** Linux reports /proc CPU times in clock ticks of 1/100 s (USER_HZ). */
const TICK_MS = 10;

/**
 * User and system CPU time so far, in ms, from a /proc `stat` file (a process's, or one thread's
 * under `task/`); undefined when it cannot be read (gone, or no /proc).
 */
export function cpuTimesAt(statPath: string): { userMs: number; systemMs: number } | undefined {
  try {
    const stat = readFileSync(statPath, 'utf8');
    // After the command name, which may hold spaces and parentheses: state is field 3, utime 14 and
    // stime 15 (1-based over the whole line).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { userMs: Number(fields[11]) * TICK_MS, systemMs: Number(fields[12]) * TICK_MS };
  } catch {
    return undefined;
  }
}

/** User and system CPU time (all threads) of one process so far, in ms; zeros once it is gone. */
export function cpuTimesOf(pid: number): { userMs: number; systemMs: number } {
  return cpuTimesAt(`/proc/${pid}/stat`) ?? { userMs: 0, systemMs: 0 };
}

/** CPU time (user + system, all threads) of one process so far, in ms; 0 once it is gone. */
export function cpuMsOf(pid: number): number {
  const { userMs, systemMs } = cpuTimesOf(pid);
  return userMs + systemMs;
}

/** The descendants of a process (children, grandchildren, …). */
export function descendantsOf(pid: number): number[] {
  const found: number[] = [];
  const queue = childrenOf(pid);
  while (queue.length > 0) {
    const next = queue.pop()!;
    found.push(next);
    queue.push(...childrenOf(next));
  }
  return found;
}

export function treeRss(pid: number): number {
  let total = 0;
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.pop()!;
    total += rssOf(next);
    queue.push(...childrenOf(next));
  }
  return total;
}

export interface ForkOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Kill the child after this long. @default 600000 */
  timeoutMs?: number;
}

export function forkMeasured<T>(
  script: string,
  args: string[],
  options: ForkOptions = {},
): Promise<Measured<T>> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = fork(script, args, {
      env: options.env,
      cwd: options.cwd,
      // `BENCH_CHILD_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof"`: profile the measured children.
      execArgv: process.env.BENCH_CHILD_NODE_FLAGS?.split(' ').filter(Boolean) ?? [],
      // `BENCH_CHILD_NODE=/path/to/node`: the measured children on another Node (e.g. tools/node24).
      execPath: process.env.BENCH_CHILD_NODE || process.execPath,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let output = '';
    // `BENCH_CHILD_LOG=/tmp/children.log`: all of the children's output too (e.g. `--trace-gc` lines).
    const log = process.env.BENCH_CHILD_LOG;
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
      if (log) appendFileSync(log, chunk);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let report: T | undefined;
    child.on('message', (message) => {
      report = message as T;
    });
    let peak = 0;
    const sample = () => {
      if (child.pid !== undefined) peak = Math.max(peak, treeRss(child.pid));
    };
    const sampler = setInterval(sample, SAMPLE_MS);
    const timeout = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.on('error', (error) => {
      clearInterval(sampler);
      clearTimeout(timeout);
      reject(error);
    });
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      clearInterval(sampler);
      clearTimeout(timeout);
      resolve({ wallMs, treeRss: peak, report, exitCode: code, output });
    });
  });
}
