// Reading a file the user named, never more than a cap. A regular file larger than the cap is
// refused from its size before a byte is read; anything else (a device such as /dev/zero, a FIFO,
// /dev/stdin, a /proc file that reports size 0) is read up to the cap and refused past it, so no
// input can make the process read without end and die of memory exhaustion.
import * as fs from "node:fs";

/** Why a capped read failed: the file is larger than the cap, or could not be read at all. */
export class ReadCappedError extends Error {
  constructor(
    readonly file: string,
    readonly reason: "too-large" | "unreadable",
    message: string,
    /** The exact size, when the file is regular and its size known. */
    readonly size?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

const CHUNK = 64 * 1024;

/** The bytes of `file`, at most `cap` of them; throws ReadCappedError otherwise. */
export function readCapped(file: string, cap: number): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (err) {
    throw unreadable(file, err);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) throw new ReadCappedError(file, "unreadable", "it is a folder, not a file", undefined, "EISDIR");
    if (stat.isFile() && stat.size > cap) {
      throw new ReadCappedError(file, "too-large", `it is ${stat.size} bytes, more than ${cap}`, stat.size);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    // Read one byte past the cap: that byte is how a stream shows it is too long.
    while (total <= cap) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, cap + 1 - total));
      let n: number;
      try {
        n = fs.readSync(fd, chunk, 0, chunk.length, null);
      } catch (err) {
        throw unreadable(file, err);
      }
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
    }
    if (total > cap) {
      throw new ReadCappedError(file, "too-large", `it gives more than ${cap} bytes`, stat.isFile() ? total : undefined);
    }
    return Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}

/** Node's error codes for reading, in words. */
export function describeReadError(code: string | undefined, fallback: string): string {
  switch (code) {
    case "ENOENT": return "no such file";
    case "EISDIR": return "it is a folder, not a file";
    case "EACCES": case "EPERM": return "permission denied";
    case "ENOTDIR": return "a part of the path is not a folder";
    case "ELOOP": return "too many symbolic links";
    case "ENAMETOOLONG": return "the path is too long";
    case "EAGAIN": return "it is a non-blocking stream with nothing to read yet; save it to a file first";
    default: return code ? `${code}: ${fallback}` : fallback;
  }
}

function unreadable(file: string, err: unknown): ReadCappedError {
  if (err instanceof ReadCappedError) return err;
  const e = err as NodeJS.ErrnoException;
  const message = (e?.message ?? String(err)).split("\n")[0];
  return new ReadCappedError(file, "unreadable", describeReadError(e?.code, message), undefined, e?.code);
}
