// A tool of the context's PATH run for `doctor` (tests put fakes there): its exit code and output,
// and whether it was missing; never throws.
import { execFile } from "node:child_process";

export interface Ran { code: number | null; stdout: string; stderr: string; missing: boolean }

/** Runs a tool found on the context's PATH; never throws. */
export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: 20_000 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: unknown }) | null;
      resolve({
        code: e ? (typeof e.code === "number" ? e.code : 1) : 0,
        stdout: String(stdout).trim(), stderr: String(stderr).trim(),
        missing: e?.code === "ENOENT",
      });
    });
  });
}
