// Reads files one after another into one buffer, grown to the largest. A build's finish reads every
// map to see whether it maps anything; a fresh buffer per map adds up to all the maps' bytes in
// external memory, and V8 answers that by marking the bundler's whole heap (upload/off-thread.ts).
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';

export class ReusedReader {
  private buffer = Buffer.alloc(0);

  /** The file's bytes, as a view that the next read overwrites. Throws as fs does. */
  read(file: string): Buffer {
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size > this.buffer.length) this.buffer = Buffer.allocUnsafe(size);
      let at = 0;
      for (let got = 1; got > 0 && at < size; at += got) got = readSync(fd, this.buffer, at, size - at, at);
      // A file that grew while it was read is read whole on its own.
      if (readSync(fd, Buffer.alloc(1), 0, 1, at) > 0) return readFileSync(file);
      return this.buffer.subarray(0, at);
    } finally {
      closeSync(fd);
    }
  }
}
