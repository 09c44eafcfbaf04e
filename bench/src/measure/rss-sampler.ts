// RSS growth of this process over a stretch of work: sampled every 5 ms, and the kernel's
// high-water mark, which catches peaks between samples when it moved meanwhile.

/** Starts sampling; the function it returns stops and gives RSS at the start and the peak since. */
export function sampleRss(): () => { before: number; peak: number } {
  const before = process.memoryUsage.rss();
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
