import * as vm from 'node:vm';

/** A frame shaped like the ones posthog-js sends (posthog-protocol.md 1.7). */
export interface SdkFrame {
  platform: string;
  filename: string;
  function: string;
  lineno: number;
  colno: number;
  in_app: boolean;
  chunk_id?: string;
}

const FRAME_LINE = /^\s*at (?:(.+?) \()?(.+):(\d+):(\d+)\)?$/;

/**
 * Parses a V8 stack into SDK-style frames, crash site last, and sets `chunk_id` from the chunk-id
 * registry like the SDK does: each registry key is a stack captured by the snippet, whose
 * innermost frame names the chunk's file.
 */
export function framesFromStack(stack: string, registry: Record<string, string> = {}): SdkFrame[] {
  const chunkIds = new Map<string, string>();
  for (const [key, chunkId] of Object.entries(registry)) {
    const top = parse(key)[0];
    if (top) chunkIds.set(top.filename, chunkId);
  }
  return parse(stack)
    .reverse()
    .map((frame) => {
      const chunkId = chunkIds.get(frame.filename);
      return chunkId ? { ...frame, chunk_id: chunkId } : frame;
    });
}

function parse(stack: string): SdkFrame[] {
  const frames: SdkFrame[] = [];
  for (const line of stack.split('\n')) {
    const match = FRAME_LINE.exec(line);
    if (!match) continue;
    frames.push({
      platform: 'web:javascript',
      filename: match[2] as string,
      function: match[1] ?? '?',
      lineno: Number(match[3]),
      colno: Number(match[4]),
      in_app: true,
    });
  }
  return frames;
}

/**
 * Loads a bundle as a script named `filename` in a fresh V8 context, calls `runCheckout(total)`,
 * and returns the thrown error's frames with chunk ids from the snippet's registry.
 */
export function runCheckoutInVm(code: string, filename: string, totalCents: number): SdkFrame[] {
  const context = vm.createContext({});
  vm.runInContext(code, context, { filename });
  try {
    (context.runCheckout as (total: number) => void)(totalCents);
  } catch (error) {
    return framesFromStack((error as Error).stack ?? '', context._posthogChunkIds ?? {});
  }
  throw new Error('runCheckout did not throw');
}
