// RSS growth of this process over a stretch of work. On Linux the kernel's high-water mark is reset
// when the stretch starts (`/proc/self/clear_refs`), so its peak is read at the end and nothing
// watches meanwhile: sampling every 5 ms cost 20-25 ms of the main thread (a read of /proc each
// time) inside the 0.8 s of a build's upload it measured (docs/benchmarks.md, round 21). Where the
// mark cannot be reset: sampled every 5 ms, and the high-water mark when it moved meanwhile.
import { readFileSync, writeFileSync } from 'node:fs';

/** Resets the kernel's peak RSS of this process to its current RSS; false where that is not possible. */
function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** VmHWM of /proc/self/status in bytes, or undefined. */
function peakRssSinceReset(): number | undefined {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : undefined;
}

/** Starts watching; the function it returns stops and gives RSS at the start and the peak since. */
export function sampleRss(): () => { before: number; peak: number } {
  const before = process.memoryUsage.rss();
  if (resetPeakRss()) {
    return () => {
      const peak = peakRssSinceReset();
      return { before, peak: Math.max(before, peak ?? process.memoryUsage.rss()) };
    };
  }
  const maxRssBefore = process.resourceUsage().maxRSS * 1024;
  let sampled = before;
  const sampler = setInterval(() => {
    sampled = Math.max(sampled, process.memoryUsage.rss());
  }, 5);
  return () => {
    clearInterval(sampler);
    const maxRssAfter = process.resourceUsage().maxRSS * 1024;
    return { before, peak: maxRssAfter > maxRssBefore ? Math.max(maxRssAfter, sampled) : sampled };
  };
}
