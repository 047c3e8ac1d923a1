// A guard between a run file and the line reader: a line longer than any record could be is
// refused as soon as it passes the cap, so `report /dev/zero` (or any file with no newlines) ends
// in a one-line error instead of growing one string until the process dies.
import { Transform, type Readable } from "node:stream";

/** Records are a few hundred bytes; a line past 1 MB is not one. */
export const MAX_LINE_BYTES = 1024 * 1024;

export class LineTooLongError extends Error {}

/** `input`, passed through, failing with LineTooLongError once a line passes `cap` bytes. */
export function capLines(input: Readable, file: string, cap = MAX_LINE_BYTES): Transform {
  let lineBytes = 0;
  let line = 1;
  const guard = new Transform({
    transform(chunk: Buffer, _enc, done) {
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
        if (lineBytes + (nl - start) > cap) break;
        lineBytes = 0;
        line++;
        start = nl + 1;
      }
      lineBytes += chunk.length - start;
      if (lineBytes > cap) {
        return done(new LineTooLongError(`${file}:${line}: a line of more than ${cap} bytes is not an invocation record: pass files written by measure --out or sweep --out`));
      }
      done(null, chunk);
    },
  });
  input.on("error", (err) => guard.destroy(err));
  return input.pipe(guard);
}
