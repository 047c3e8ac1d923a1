// A run's JSONL file. Lines are buffered and written whole with synchronous writes, so the file
// never holds a partial line, and at most the last 100 ms of records wait in memory.
import * as fs from "node:fs";

export class JsonlWriter {
  private readonly fd: number;
  private buffer: string[] = [];
  private bytes = 0;
  private lastFlush = Date.now();
  written = 0;

  constructor(readonly path: string, private readonly maxBytes = 64 * 1024, private readonly maxAgeMs = 100) {
    this.fd = fs.openSync(path, "w");
  }

  write(value: unknown): void {
    const line = `${JSON.stringify(value)}\n`;
    this.buffer.push(line);
    this.bytes += line.length;
    if (this.bytes >= this.maxBytes || Date.now() - this.lastFlush >= this.maxAgeMs) this.flush();
  }

  flush(): void {
    if (this.buffer.length) {
      fs.writeSync(this.fd, this.buffer.join(""));
      this.written += this.buffer.length;
      this.buffer = [];
      this.bytes = 0;
    }
    this.lastFlush = Date.now();
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}
