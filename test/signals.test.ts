// No orphans (issue 27): a run started through the real `npx lambda-bench` (npm exec, then the
// repository's .npmrc script-shell, then node bin/lambda-bench.js) or under `timeout` stops the same
// way whichever process of the chain the signal reaches: no call after it beyond those in flight,
// the --cold nonce put back, every record kept, its provenance marked interrupted, and the exit
// code of the signal. A run whose parent is killed outright stops by itself. The truth is the
// stand-in's own count of the calls it served.
import { strict as assert } from "node:assert";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { type Standin } from "../src/standin/standin";
import { COLD_NONCE_KEY } from "../src/measure/configuration";
import type { Provenance } from "../src/runs/provenance";
import { workspace } from "./fixtures";
import { withStandin } from "./servers/standin-hooks";

const ROOT = path.resolve(__dirname, "..", "..");
const ENV = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_"))),
  PATH: `${path.join(ROOT, "node_modules", ".bin")}${path.delimiter}${process.env.PATH}`,
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Started {
  child: ChildProcess;
  out: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }>;
}

/** `launcher` (npx, timeout npx ...) running `lambda-bench measure hello`, --cold 1, into `out`. */
function start(launcher: string[], standin: Standin, out: string): Started {
  const args = [...launcher, "lambda-bench", "measure", "hello", "-n", "1000000", "-c", "2", "--cold", "1",
    "--out", out, "--endpoint", standin.endpoint, "--region", "us-east-1"];
  const child = spawn(args[0], args.slice(1), { cwd: ROOT, env: ENV, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr!.on("data", (c) => { err += c; });
  child.stdout!.resume();
  // 'close' waits for every holder of the pipes: the CLI too, even after the launcher has exited.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }>((resolve) => {
    let exit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };
    child.on("exit", (code, signal) => { exit = { code, signal }; });
    child.on("close", () => resolve({ ...exit, err }));
  });
  return { child, out, exited };
}

async function servedAtLeast(standin: Standin, n: number): Promise<void> {
  const t0 = Date.now();
  while (standin.served() < n) {
    if (Date.now() - t0 > 60_000) throw new Error(`only ${standin.served()} calls served in 60 s`);
    await sleep(20);
  }
}

describe("signals and orphans: npx, timeout and a killed parent", function () {
  this.timeout(180_000);
  const h = withStandin({ control: true });

  /** What every stopped run must show: no call after the end, every call recorded, nonce gone, provenance. */
  async function assertStopped(out: string, base: number, servedAtSignal: number, reason: string, detail: RegExp): Promise<Provenance> {
    const atEnd = h.standin.served();
    await sleep(1500);
    assert.equal(h.standin.served(), atEnd, "no call after the CLI ended: nothing left running");
    // -c 2: at most two calls were in flight when the signal arrived; the rest of the margin is the
    // signal's way through npx (a few ms at a call a millisecond), far below what an orphan sends.
    assert.ok(atEnd - servedAtSignal < 100, `${atEnd - servedAtSignal} calls after the signal was sent`);
    const lines = fs.readFileSync(out, "utf8").split("\n");
    assert.equal(lines.pop(), "", "whole lines");
    assert.equal(lines.length, atEnd - base, "every call the stand-in served is in the file");
    const env = (await h.control.send(new GetFunctionConfigurationCommand({ FunctionName: "hello" }))).Environment?.Variables ?? {};
    assert.equal(env[COLD_NONCE_KEY], undefined, "the cold nonce was put back");
    const p = JSON.parse(fs.readFileSync(`${out}.meta.json`, "utf8")) as Provenance;
    assert.equal(p.interrupted?.reason, reason);
    assert.match(p.interrupted!.detail, detail);
    assert.deepEqual(p.calls, { planned: 1_000_000, done: lines.length });
    assert.notEqual(p.endedAt, null);
    return p;
  }

  async function run(launcher: string[], kill: (s: Started) => void, name: string) {
    const base = h.standin.served();
    const s = start(launcher, h.standin, path.join(workspace(), `${name}.jsonl`));
    await servedAtLeast(h.standin, base + 30);
    const at = h.standin.served() - base;
    kill(s);
    const r = await s.exited;
    return { r, at, base, out: s.out };
  }

  for (const [sig, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    it(`${sig} to npx: the CLI stops, restores, keeps its records, npx exits ${code}`, async () => {
      const { r, at, base, out } = await run(["npx"], (s) => s.child.kill(sig), `npx-${sig}`);
      assert.equal(r.code, code, r.err);
      assert.match(r.err, /lambda-bench: interrupted: \d+ invocations completed, all in /);
      await assertStopped(out, base, at + base, "signal", new RegExp(sig));
    });
  }

  it("SIGHUP to npx: npx exits 129 at once, the CLI sees its parent gone and stops as for a signal", async () => {
    const { r, at, base, out } = await run(["npx"], (s) => s.child.kill("SIGHUP"), "npx-SIGHUP");
    assert.equal(r.signal ?? r.code, r.signal ? "SIGHUP" : 129, r.err);
    assert.match(r.err, /the parent process \(\d+\) is gone: stopping/);
    // The parent is polled every 0.5 s: a few hundred calls at most, then none.
    const p = await assertStoppedLoose(out, at + base);
    assert.equal(p.interrupted?.reason, "parent-gone");
  });

  it("SIGKILL to npx (the parent killed outright): the CLI stops by itself and restores", async () => {
    const { at, base, out } = await run(["npx"], (s) => s.child.kill("SIGKILL"), "npx-SIGKILL");
    const p = await assertStoppedLoose(out, at + base);
    assert.equal(p.interrupted?.reason, "parent-gone");
  });

  it("SIGTERM to `timeout ... npx`: the whole chain gets it; the CLI exits 143 and so does timeout", async () => {
    const { r, at, base, out } = await run(["timeout", "600", "npx"], (s) => s.child.kill("SIGTERM"), "timeout-TERM");
    assert.equal(r.code, 143, r.err);
    await assertStopped(out, base, at + base, "signal", /SIGTERM/);
  });

  it("`timeout 3 npx ...` running out: exit 124, the run stopped, restored and recorded", async () => {
    const base = h.standin.served();
    const s = start(["timeout", "3", "npx"], h.standin, path.join(workspace(), "timeout-expired.jsonl"));
    const r = await s.exited;
    assert.equal(r.code, 124, r.err);
    assert.ok(h.standin.served() - base > 30, "it ran");
    const p = JSON.parse(fs.readFileSync(`${s.out}.meta.json`, "utf8")) as Provenance;
    assert.equal(p.interrupted?.reason, "signal");
    const env = (await h.control.send(new GetFunctionConfigurationCommand({ FunctionName: "hello" }))).Environment?.Variables ?? {};
    assert.equal(env[COLD_NONCE_KEY], undefined);
    const atEnd = h.standin.served();
    await sleep(1500);
    assert.equal(h.standin.served(), atEnd, "nothing left running");
  });

  /** As assertStopped, for a stop found by the parent poll (up to 0.5 s of calls after the kill). */
  async function assertStoppedLoose(out: string, servedAtKill: number): Promise<Provenance> {
    const atEnd = h.standin.served();
    await sleep(1500);
    assert.equal(h.standin.served(), atEnd, "no call after the CLI ended: nothing left running");
    assert.ok(atEnd - servedAtKill < 5000, `${atEnd - servedAtKill} calls after the parent died`);
    const lines = fs.readFileSync(out, "utf8").split("\n");
    lines.pop();
    const env = (await h.control.send(new GetFunctionConfigurationCommand({ FunctionName: "hello" }))).Environment?.Variables ?? {};
    assert.equal(env[COLD_NONCE_KEY], undefined, "the cold nonce was put back");
    const p = JSON.parse(fs.readFileSync(`${out}.meta.json`, "utf8")) as Provenance;
    assert.deepEqual(p.calls, { planned: 1_000_000, done: lines.length });
    return p;
  }
});

describe("demo on Ctrl-C: what it changed is put back before the stand-ins stop", function () {
  this.timeout(120_000);
  it("Ctrl-C (to the process group) in the sweep step: the sweep puts the memory back through the stand-in, says so, and the demo exits 130", async () => {
    const dir = workspace();
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_")));
    // In a process group of its own, signalled as a terminal's Ctrl-C is: the whole group at once.
    const child = spawn(process.execPath, [path.join(ROOT, "bin", "lambda-bench.js"), "demo", "--out-dir", path.join(dir, "demo")],
      { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let out = "";
    let err = "";
    child.stderr!.on("data", (c) => { err += c; });
    child.stdout!.on("data", (c) => { out += c; });
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    // The sweep's first size has started when its file appears: the signal then meets a run.
    const first = path.join(dir, "demo", "aes-sweep", "aes-256mb.jsonl");
    while (!fs.existsSync(first)) await sleep(5);
    process.kill(-child.pid!, "SIGINT");
    const code = await closed;
    assert.equal(code, 130, err);
    assert.match(out, /, memory restored to 1024 MB\n/);
    assert.doesNotMatch(err, /could not put|cannot connect/);
    assert.match(err, /interrupted after \d of 4 sizes; memory restored to 1024 MB\n/);
    assert.match(err, /lambda-bench: the demo was interrupted at step 4; the stand-ins are stopped\n$/);
    assert.doesNotMatch(out, /\[5\/\d+\] /, "no step after the interrupted one");
  });
});

