// A one-line progress bar for long runs, on stderr and only when stderr is a terminal, so piped
// and captured output stays data only.

export interface ProgressStream {
  isTTY?: boolean;
  write(s: string): unknown;
}

export interface Progress {
  update(done: number, errors: number): void;
  finish(): void;
}

const NONE: Progress = { update() {}, finish() {} };

export function progressBar(stream: ProgressStream, label: string, total: number, now = () => Date.now()): Progress {
  if (!stream.isTTY) return NONE;
  const started = now();
  let last = 0;
  let shown = false;
  const render = (done: number, errors: number) => {
    const width = 30;
    const filled = Math.round((width * done) / Math.max(1, total));
    const rate = done / Math.max(0.001, (now() - started) / 1000);
    stream.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}` +
      `  errors ${errors}  ${rate.toFixed(1)}/s `);
    shown = true;
  };
  return {
    update(done, errors) {
      const t = now();
      if (done < total && t - last < 100) return;
      last = t;
      render(done, errors);
    },
    finish() {
      if (shown) stream.write("\n");
    },
  };
}
