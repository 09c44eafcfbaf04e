// Reads files one after another into one buffer, grown to the largest. A build's finish reads every
// map to see whether it maps anything; a fresh buffer per map adds up to all the maps' bytes in
// external memory, and V8 answers that by marking the bundler's whole heap (upload/off-thread.ts).
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { fillFromFile } from './fill-from-file';

export class ReusedReader {
  private buffer = Buffer.alloc(0);

  /** The file's bytes, as a view that the next read overwrites. Throws as fs does. */
  read(file: string): Buffer {
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size > this.buffer.length) this.buffer = Buffer.allocUnsafe(size);
      const view = this.buffer.subarray(0, size);
      // A file whose size changed while it was read is read whole on its own.
      return fillFromFile(fd, view) ? view : readFileSync(file);
    } finally {
      closeSync(fd);
    }
  }
}
