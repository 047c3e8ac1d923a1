// The CLI in-process, as `lambda-bench` runs it, with its output captured.
import { run } from "../src/cli/main";

export async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await run(args, { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}
