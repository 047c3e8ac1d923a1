// Where a command writes: data to `out`, messages to `err`. Shared by every command, so no
// command imports the program that registers it.
import type { ProgressStream } from "./progress";

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Where a progress bar may go (it draws only when this is a terminal). */
  errStream?: ProgressStream;
}
