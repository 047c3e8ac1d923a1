// A run's JSONL file. Lines are buffered and written whole with synchronous writes, so the file
// never holds a partial line, and at most the last 100 ms of records wait in memory. The first
// record is written at once, so a file that cannot be written fails on it, not at the end.
// A failed write (a full disk, a file-size limit, an I/O error) is captured, never thrown into
// the run: the writer stops, cuts the file back to its last whole line, keeps the error in
// `error`, and tells `onError`. What it wrote before stays valid JSONL.
import * as fs from "node:fs";

/** The file operations the writer uses; tests put failing ones in. */
export interface JsonlFs {
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: null): number;
  ftruncateSync(fd: number, length: number): void;
  closeSync(fd: number): void;
}

export class JsonlWriter {
  private readonly fd: number;
  private buffer: string[] = [];
  private bytes = 0;
  private lastFlush = Date.now();
  /** Bytes of whole lines on disk: where the file is cut back to after a failed write. */
  private committed = 0;
  private closed = false;
  /** Records on disk, as whole lines. */
  written = 0;
  /** The first write failure; once set, every later record is dropped. */
  error?: NodeJS.ErrnoException;
  /** Called once, with the first write failure. */
  onError?: (err: NodeJS.ErrnoException) => void;

  constructor(readonly path: string, private readonly maxBytes = 64 * 1024, private readonly maxAgeMs = 100,
    private readonly files: JsonlFs = fs) {
    this.fd = fs.openSync(path, "w");
  }

  write(value: unknown): void {
    if (this.error || this.closed) return;
    const line = `${JSON.stringify(value)}\n`;
    this.buffer.push(line);
    this.bytes += line.length;
    if (this.written === 0 || this.bytes >= this.maxBytes || Date.now() - this.lastFlush >= this.maxAgeMs) this.flush();
  }

  flush(): void {
    if (this.buffer.length && !this.error) {
      const data = Buffer.from(this.buffer.join(""));
      let done = 0;
      try {
        // A write may take only part of the buffer (a file-size limit, a nearly full disk).
        while (done < data.length) done += this.files.writeSync(this.fd, data, done, data.length - done, null);
        this.committed += data.length;
        this.written += this.buffer.length;
      } catch (err) {
        this.fail(err as NodeJS.ErrnoException, done);
      }
      this.buffer = [];
      this.bytes = 0;
    }
    this.lastFlush = Date.now();
  }

  /** Flushes and closes; safe to call twice, and never throws (a failure lands in `error`). */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    try {
      this.files.closeSync(this.fd);
    } catch (err) {
      if (!this.error) this.fail(err as NodeJS.ErrnoException, 0);
    }
  }

  private fail(err: NodeJS.ErrnoException, partial: number): void {
    this.error = err;
    if (partial > 0) {
      // Cut the half-written line off; a device such as /dev/full cannot be cut and holds nothing.
      try {
        this.files.ftruncateSync(this.fd, this.committed);
      } catch { /* nothing more can be done: `error` says the file failed */ }
    }
    this.onError?.(err);
  }
}
