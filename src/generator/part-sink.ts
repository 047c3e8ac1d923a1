// The Lambda driver's records on their way to S3 (issue 28): each record becomes a JSONL line in
// memory (encoded straight into the part's buffer), never /tmp (an 840 s window at 2,000 calls a second is ~500 MB of JSONL; /tmp is 512 MB
// by default, and memory is what the driver is sized by anyway); a part is sealed when it holds
// `maxBytes` (default 8 MB: a PutObject of a few hundred ms, not a multipart upload) or its first
// line is `maxAgeMs` old (default 30 s: a crashed invocation loses at most that much), and sealed
// parts are uploaded in the background, one at a time and in order, so the sender never waits for
// S3. Each part is a whole JSONL file. A part that fails after the SDK's own retries stops the
// uploads: the parts before it stay (p0..p<k-1>, contiguous), later records are discarded, and
// `onError` is told once (the driver stops sending and ends the window with `fatal`).
import type { Clock } from "../workload/clock";

/** Where sealed parts go: part k's body, put whole (PutObject). */
export type PutPart = (part: number, body: Buffer) => Promise<void>;

export interface PartSinkOptions {
  /** Seal a part once its lines hold this many bytes (UTF-8). */
  maxBytes?: number;
  /** Seal a part once its first line is this old (on `clock`). */
  maxAgeMs?: number;
  clock: Clock;
  /** Called once, with the first failed upload's error (one line). */
  onError?: (message: string) => void;
}

export const PART_MAX_BYTES = 8 * 1024 * 1024;
export const PART_MAX_AGE_MS = 30_000;

export interface PartsWritten {
  /** Parts uploaded (p0 .. p<parts-1>) and the records they hold. */
  parts: number;
  records: number;
  /** The first failed upload (one line); records after the last uploaded part are lost. */
  error?: string;
}

export class PartSink {
  /** The current part's lines, UTF-8, encoded in place (no joined string, no copy at the seal). */
  private buffer: Buffer | undefined;
  private used = 0;
  private lines = 0;
  private ageTimer: unknown;
  private readonly queue: { part: number; body: Buffer; records: number }[] = [];
  private sealed = 0;
  private uploading: Promise<void> | undefined;
  private idle: (() => void) | undefined;
  private readonly maxBytes: number;
  private readonly maxAgeMs: number;
  private readonly sealByAge = () => {
    this.ageTimer = undefined;
    this.seal();
  };
  readonly written: PartsWritten = { parts: 0, records: 0 };

  constructor(private readonly put: PutPart, private readonly opts: PartSinkOptions) {
    this.maxBytes = opts.maxBytes ?? PART_MAX_BYTES;
    this.maxAgeMs = opts.maxAgeMs ?? PART_MAX_AGE_MS;
  }

  /** Adds one record (a line of the current part). */
  write(record: unknown): void {
    if (this.written.error !== undefined) return;
    const json = JSON.stringify(record);
    // A UTF-16 unit is at most 3 bytes of UTF-8; with the newline, the line fits in `need`.
    const need = 3 * json.length + 1;
    if (this.buffer === undefined) this.buffer = Buffer.allocUnsafe(this.maxBytes + Math.max(need, 64 * 1024));
    else if (this.used + need > this.buffer.length) {
      const grown = Buffer.allocUnsafe(2 * (this.used + need));
      this.buffer.copy(grown, 0, 0, this.used);
      this.buffer = grown;
    }
    this.used += this.buffer.write(json, this.used, "utf8");
    this.buffer[this.used++] = 10;
    if (++this.lines === 1) this.ageTimer = this.opts.clock.at(this.opts.clock.now() + this.maxAgeMs, this.sealByAge);
    if (this.used >= this.maxBytes) this.seal();
  }

  /** Puts the current part (if it holds a line) in the upload queue. */
  seal(): void {
    if (this.ageTimer !== undefined) this.opts.clock.cancel(this.ageTimer);
    this.ageTimer = undefined;
    if (this.lines === 0 || this.written.error !== undefined) return;
    this.queue.push({ part: this.sealed++, body: this.buffer!.subarray(0, this.used), records: this.lines });
    this.buffer = undefined;
    this.used = 0;
    this.lines = 0;
    this.pump();
  }

  private pump(): void {
    if (this.uploading) return;
    const next = this.written.error === undefined ? this.queue.shift() : undefined;
    if (!next) {
      this.idle?.();
      this.idle = undefined;
      return;
    }
    this.uploading = this.put(next.part, next.body).then(() => {
      this.written.parts++;
      this.written.records += next.records;
    }, (err: unknown) => {
      this.written.error = `part ${next.part}: ${((err as Error)?.message ?? String(err)).split("\n")[0]}`;
      this.queue.length = 0;
      this.opts.onError?.(this.written.error);
    }).finally(() => {
      this.uploading = undefined;
      this.pump();
    });
  }

  /** Seals the last part and resolves when every part is uploaded (or the uploads stopped). */
  async close(): Promise<PartsWritten> {
    this.seal();
    if (this.uploading || this.queue.length > 0) await new Promise<void>((resolve) => { this.idle = resolve; });
    return { ...this.written };
  }
}
