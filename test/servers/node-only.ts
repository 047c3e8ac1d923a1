// An environment with Node and nothing else on PATH (no Python, no moto_server, no npm): what a
// researcher's laptop has after `npm ci`, for the tests that show npm alone is enough.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** A temp folder holding only a `node` symlink (the pinned Node this process runs), and an env with PATH set to it. */
export function nodeOnlyEnv(): NodeJS.ProcessEnv {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "lambda-bench-node-only-"));
  fs.symlinkSync(process.execPath, path.join(bin, "node"));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_") && k !== "PATH"));
  return { ...env, PATH: bin };
}
