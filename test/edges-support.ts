// What the edges tests share: the child-process runner that checks the shape every error has,
// the stand-in's plain reply, and a clean environment.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnCli } from "./run-cli";
import { logTail, type Call } from "../src/standin/invoke-server";

/** What a crash or an escaped exception leaves on stderr. */
export const CRASH = /^\s+at\s|node:internal|std::bad_alloc|FATAL ERROR|Aborted|Uncaught|\bTypeError\b|\bRangeError\b/m;

export const ENV = { ...process.env, AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "x", AWS_REGION: "us-east-1",
  AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent" };

export const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "lambda-bench-edges-"));

/** Runs the bin in a fresh folder (no benchmarks.yaml) and checks the shape every error shares. */
export async function fails(args: string[], code: number, message: RegExp | string, cwd = tmp()) {
  const r = await spawnCli(args, { env: ENV, cwd }).exited;
  assert.equal(r.code, code, `${args.join(" ")}: exit ${r.code}\n${r.err}`);
  if (typeof message === "string") assert.equal(r.err, message, args.join(" "));
  else assert.match(r.err, message, args.join(" "));
  assert.doesNotMatch(r.err, CRASH, r.err);
  return r;
}

export const ok = (call: Call) => ({
  kind: "ok" as const, payload: "{}",
  log: logTail(call.requestId, { durationMs: 1.5, billedMs: 2, memoryMb: 128, maxMemoryMb: 40 }),
});

