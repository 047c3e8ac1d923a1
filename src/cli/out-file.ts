// `--out`: where a run's records go, and what happens when the disk says no. Opening fails before
// the run with one line naming the file. A write that fails mid-run (a full disk, a file-size
// limit) does not crash the run: the error is printed with the path at once, the run is told to
// stop sending (`signal`), the file keeps its whole lines only, and the command then prints the
// summary of what completed and leaves with `cutShort`'s error.
import * as fs from "node:fs";
import * as path from "node:path";
import { JsonlWriter } from "../runs/jsonl";
import type { InvocationRecord } from "../runs/record";
import { UserError } from "./errors";
import type { Io } from "./io";

/** Node's error codes for writing, in words, with the code kept for searching. */
export function describeWriteError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    ENOSPC: "no space left on the device",
    EDQUOT: "the disk quota is used up",
    EFBIG: "the file is larger than this system allows",
    EIO: "an input/output error",
    EROFS: "the file system is read-only",
    EACCES: "permission denied",
    EPERM: "permission denied",
    EISDIR: "it is a folder; name a file",
    ENOENT: "its folder does not exist",
    ENOTDIR: "a part of the path is not a folder",
    EEXIST: "a file of that name is in the way",
    ENAMETOOLONG: "the path is too long",
  };
  const code = e?.code;
  if (code && words[code]) return `${words[code]} (${code})`;
  return (e?.message ?? String(err)).split("\n")[0];
}

export class RunOut {
  private constructor(private readonly writer: JsonlWriter, private readonly io?: Io, private readonly stop = new AbortController()) {
    writer.onError = (err) => {
      this.stop.abort();
      // On a terminal a progress bar may hold the line: start a fresh one.
      this.io?.err(`${this.io.errStream?.isTTY ? "\n" : ""}lambda-bench: cannot write ${writer.path}: ${describeWriteError(err)}; ` +
        `stopping: no new invocations are sent (the file keeps ${writer.written} whole records)\n`);
    };
  }

  /**
   * Opens `file` for a run's records; a file that cannot be opened is a one-line error. With `io`,
   * a write failure is printed the moment it happens; `stop` (default: its own) is aborted then.
   */
  static open(file: string, io?: Io, stop?: AbortController): RunOut {
    makeOutFolder(path.dirname(file)); // as sweep's --out folder is made
    try {
      return new RunOut(new JsonlWriter(file), io, stop);
    } catch (err) {
      throw new UserError(`cannot write ${file}: ${describeWriteError(err)}`);
    }
  }

  get path(): string { return this.writer.path; }
  /** Records on disk, as whole lines. */
  get written(): number { return this.writer.written; }
  /** The write failure, if one happened. */
  get error(): NodeJS.ErrnoException | undefined { return this.writer.error; }
  /** Aborted when a write fails: pass it (with Ctrl-C's) to the run so it stops sending. */
  get signal(): AbortSignal { return this.stop.signal; }

  write(r: InvocationRecord): void { this.writer.write(r); }
  /** Puts every record written so far on disk now (a long, slow run); a failure lands in `error`. */
  flush(): void { this.writer.flush(); }
  /** Never throws: a failure to flush or close lands in `error` like any other. */
  close(): void { this.writer.close(); }

  /** The error a run whose file failed leaves with, after its summary is printed. */
  cutShort(completed: number, where = "the summary above"): UserError {
    return new UserError(`--out ${this.path} failed: ${describeWriteError(this.error)}; the run was cut short after ` +
      `${completed} invocation${completed === 1 ? "" : "s"} (${where}), ${this.written} of them recorded in ${this.path}`);
  }
}

/** `sweep --out <dir>`: the folder, made if missing; a path that cannot be one is a one-line error. */
export function makeOutFolder(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new UserError(`cannot make the folder ${dir} for --out: ${describeWriteError(err)}`);
  }
}
