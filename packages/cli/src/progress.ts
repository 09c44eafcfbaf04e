import { formatBytes, type UploadProgressEvent } from '@hogmaps/core';
import { isInteractive, type OutputStream } from './io';

/** Upload progress on stderr: a redrawn bar on a terminal, a few plain lines elsewhere (CI, pipes). */
export interface Progress {
  /** Feed it `uploadSymbolSets`' `onProgress` events. */
  update(event: UploadProgressEvent): void;
  /** Writes one line without tearing the bar. */
  log(line: string): void;
  /** Removes the bar. */
  stop(): void;
}

const BAR_WIDTH = 24;
const REDRAW_MS = 80;

interface Counts {
  total: number;
  settled: number;
  packedBytes: number;
  sentBytes: number;
}

export function createProgress(stream: OutputStream, env: NodeJS.ProcessEnv, label = 'uploading'): Progress {
  const interactive = isInteractive(stream, env);
  const counts: Counts = { total: 0, settled: 0, packedBytes: 0, sentBytes: 0 };
  let shown = false;
  let lastDraw = 0;
  let lastStep = -1;
  let started = false;

  const line = (): string => {
    const ratio = counts.total === 0 ? 1 : counts.settled / counts.total;
    const filled = Math.round(ratio * BAR_WIDTH);
    const bar =
      '='.repeat(filled) + (filled < BAR_WIDTH ? '>' : '') + ' '.repeat(Math.max(0, BAR_WIDTH - filled - 1));
    const bytes = `${formatBytes(counts.sentBytes)} of ${formatBytes(counts.packedBytes)}`;
    const text = `${label} [${bar}] ${counts.settled}/${counts.total} symbol sets, ${bytes}`;
    const width = stream.columns || 80;
    return text.length >= width ? text.slice(0, Math.max(10, width - 1)) : text;
  };

  const clear = () => {
    if (shown) stream.write('\r\x1b[K');
    shown = false;
  };

  const draw = (force: boolean) => {
    const now = Date.now();
    if (!force && now - lastDraw < REDRAW_MS) return;
    lastDraw = now;
    stream.write(`\r\x1b[K${line()}`);
    shown = true;
  };

  // Plain output: one line at the start and one per tenth (per file for ten or fewer).
  const plain = () => {
    if (counts.total === 0) return;
    const step = counts.total <= 10 ? counts.settled : Math.floor((counts.settled * 10) / counts.total);
    if (step === lastStep) return;
    lastStep = step;
    stream.write(
      `${label}: ${counts.settled}/${counts.total} symbol sets, ${formatBytes(counts.sentBytes)} sent\n`,
    );
  };

  return {
    update(event) {
      switch (event.type) {
        case 'start':
          counts.total = event.files;
          started = true;
          if (!interactive) {
            lastStep = 0;
            if (event.files > 0)
              stream.write(`${label} ${event.files} symbol ${event.files === 1 ? 'set' : 'sets'}\n`);
          }
          break;
        case 'packed':
          counts.packedBytes += event.bytes;
          break;
        case 'uploaded':
          counts.settled += 1;
          counts.sentBytes += event.bytes;
          break;
        case 'skipped':
          if (event.reason !== 'duplicate') counts.settled += 1;
          break;
        case 'failed':
          counts.settled += 1;
          break;
        case 'done':
          if (interactive) clear();
          return;
      }
      if (!started) return;
      if (interactive) draw(event.type === 'start');
      else if (event.type !== 'start' && event.type !== 'packed') plain();
    },
    log(text) {
      const wasShown = shown;
      clear();
      stream.write(`${text}\n`);
      if (wasShown) draw(true);
    },
    stop: clear,
  };
}

/** No progress, for quiet runs: log lines (warnings, errors) still go through. */
export function createSilentProgress(stream: OutputStream): Progress {
  return {
    update() {},
    log: (text) => stream.write(`${text}\n`),
    stop() {},
  };
}
