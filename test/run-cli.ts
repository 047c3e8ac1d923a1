// The CLI as tests run it: in-process with its output captured, or as the real bin in a child
// process (for signals, exit codes and a clean environment).
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { run } from "../src/cli/main";

export async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await run(args, { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

const BIN = path.resolve(__dirname, "..", "..", "bin", "lambda-bench.js");

/** The bin in a child process; `exited` resolves with its exit code and everything it printed. */
export function spawnCli(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): {
  child: ChildProcess;
  exited: Promise<{ code: number | null; out: string; err: string }>;
} {
  const child = spawn(process.execPath, [BIN, ...args], { env: opts.env ?? { ...process.env }, cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.on("data", (c) => { out += c; });
  child.stderr!.on("data", (c) => { err += c; });
  const exited = new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, out, err })));
  return { child, exited };
}
