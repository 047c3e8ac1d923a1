// The run lifecycle (src/measure/lifecycle.ts) on a fake process: signals, the parent poll and the
// clock are the test's, so each case is exact and nothing sleeps. And withTemporaryConfiguration
// (src/measure/restore.ts) against moto: the original back after success, error and abort, and
// one wording when it cannot be.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { GetFunctionConfigurationCommand, UpdateFunctionConfigurationCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { RunLifecycle, type Host, type RunSink } from "../src/measure/lifecycle";
import { RestoreError, pendingRestores, withTemporaryConfiguration } from "../src/measure/restore";
import type { Provenance } from "../src/runs/provenance";
import type { InvocationRecord } from "../src/runs/record";
import { claimFiles, claimFolder } from "../src/runs/claim";
import { withMotoFunction } from "./servers/moto-hooks";
import { workspace } from "./fixtures";

class FakeHost implements Host {
  handlers = new Map<string, (() => void)[]>();
  parent = 100;
  time = 0;
  tick?: () => void;
  exited: number[] = [];
  on(s: string, fn: () => void) { this.handlers.set(s, [...(this.handlers.get(s) ?? []), fn]); }
  off(s: string, fn: () => void) { this.handlers.set(s, (this.handlers.get(s) ?? []).filter((f) => f !== fn)); }
  ppid() { return this.parent; }
  now() { return this.time; }
  every(_ms: number, fn: () => void) { this.tick = fn; return () => { this.tick = undefined; }; }
  exit(code: number) { this.exited.push(code); }
  send(s: string) { for (const fn of this.handlers.get(s) ?? []) fn(); }
}

class FakeSink implements RunSink {
  lines: InvocationRecord[] = [];
  closed = 0;
  error?: NodeJS.ErrnoException;
  readonly stop = new AbortController();
  constructor(readonly path: string) {}
  get written() { return this.lines.length; }
  get signal() { return this.stop.signal; }
  write(r: InvocationRecord) { if (!this.error) this.lines.push(r); }
  flush() {}
  close() { this.closed++; }
  fail(code: string) {
    this.error = Object.assign(new Error(code), { code });
    this.stop.abort();
  }
}

const record = {} as InvocationRecord;
const provenance = () => ({ schema: 2, runId: "r1", endedAt: null } as unknown as Provenance);
const meta = (f: string) => JSON.parse(fs.readFileSync(`${f}.meta.json`, "utf8")) as Provenance;

function setup(planned: number | null = 10) {
  const host = new FakeHost();
  const sinks: FakeSink[] = [];
  const warnings: string[] = [];
  const life = new RunLifecycle({ open: (f) => { const s = new FakeSink(f); sinks.push(s); return s; }, planned, host, warn: (l) => warnings.push(l) });
  return { host, sinks, life, warnings, file: path.join(workspace(), "run.jsonl") };
}

describe("run lifecycle", () => {
  it("a whole run: the sidecar says cut short while it runs, then whole, with the calls planned and done", async () => {
    const { life, file, sinks, host } = setup(3);
    await life.run(async () => {
      const out = life.output(file, provenance());
      assert.deepEqual(meta(file).interrupted?.reason, "signal", "killed now, the sidecar would say so");
      assert.equal(meta(file).endedAt, null);
      for (let i = 0; i < 3; i++) out.record(record);
    });
    const p = meta(file);
    assert.equal(p.interrupted, null);
    assert.deepEqual(p.calls, { planned: 3, done: 3 });
    assert.notEqual(p.endedAt, null);
    assert.equal(sinks[0].lines.length, 3);
    assert.equal(sinks[0].closed, 1);
    assert.equal(host.handlers.get("SIGINT")!.length, 0, "the handlers are removed");
    assert.equal(host.tick, undefined, "the parent poll is stopped");
  });

  it("complete(): a study's finished repetition keeps 'whole' when a later one is cut short by a signal", async () => {
    const { life, sinks, host } = setup(null);
    const dir = workspace();
    const [first, second] = [path.join(dir, "rep-1.jsonl"), path.join(dir, "rep-2.jsonl")];
    await life.run(async () => {
      const a = life.output(first, provenance(), 2);
      a.record(record);
      a.record(record);
      assert.equal(life.complete(a), true);
      assert.equal(sinks[0].closed, 1);
      const b = life.output(second, provenance(), 2);
      b.record(record);
      host.send("SIGINT");
    });
    assert.equal(meta(first).interrupted, null);
    assert.notEqual(meta(first).endedAt, null);
    assert.deepEqual(meta(first).calls, { planned: 2, done: 2 });
    assert.equal(sinks[0].closed, 1, "closed once: the end leaves it alone");
    assert.deepEqual(meta(second).interrupted, { reason: "signal", detail: "SIGINT" });
    assert.deepEqual(meta(second).calls, { planned: 2, done: 1 });
  });

  it("complete() of a file whose write failed says false and leaves it the end's (write-failed)", async () => {
    const { life, sinks, file } = setup(null);
    await life.run(async () => {
      const a = life.output(file, provenance(), 2);
      a.record(record);
      sinks[0].fail("ENOSPC");
      assert.equal(life.complete(a), false);
    });
    assert.equal(meta(file).interrupted?.reason, "write-failed");
  });

  for (const [sig, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
    it(`${sig} stops the run (the signal aborts), is recorded, and gives exit ${code}`, async () => {
      const { life, file, host } = setup();
      await life.run(async () => {
        const out = life.output(file, provenance());
        out.record(record);
        host.send(sig);
        assert.equal(life.signal.aborted, true);
        out.record(record); // one in flight completes after the signal
      });
      assert.equal(life.exitCode, code);
      assert.deepEqual(meta(file).interrupted, { reason: "signal", detail: sig });
      assert.deepEqual(meta(file).calls, { planned: 10, done: 2 });
    });
  }

  it("the same signal twice within a second (a process group's and npm's copy) is one; a later one leaves at once", async () => {
    const { life, file, host, warnings } = setup();
    await life.run(async () => {
      life.output(file, provenance());
      host.send("SIGINT");
      host.time = 999;
      host.send("SIGTERM");
      assert.deepEqual(host.exited, []);
      host.time = 1000;
      host.send("SIGINT");
      assert.deepEqual(host.exited, [130]);
      assert.deepEqual(meta(file).interrupted, { reason: "signal", detail: "SIGINT" }, "the sidecar is written before leaving");
      assert.notEqual(meta(file).endedAt, null);
    });
    assert.deepEqual(warnings, []);
  });

  it("leaving at once names what is not yet put back", async () => {
    const { life, host, warnings } = setup();
    const pending = { functionName: "aes", change: { what: "memory", restore: {}, original: "1024 MB" } };
    pendingRestores.add(pending);
    try {
      await life.run(async () => {
        host.send("SIGINT");
        host.time = 5000;
        host.send("SIGINT");
      });
    } finally {
      pendingRestores.delete(pending);
    }
    assert.deepEqual(warnings, ["lambda-bench: leaving at once, before putting back aes's memory (to 1024 MB): run `pulumi up` to restore it"]);
  });

  it("the parent gone (its id changed): stops with reason parent-gone, exit 129", async () => {
    const { life, file, host, warnings } = setup();
    await life.run(async () => {
      life.output(file, provenance());
      host.tick!();
      assert.equal(life.signal.aborted, false, "the same parent: nothing happens");
      host.parent = 1;
      host.tick!();
      assert.equal(life.signal.aborted, true);
    });
    assert.equal(life.exitCode, 129);
    assert.deepEqual(meta(file).interrupted, { reason: "parent-gone", detail: "the parent process 100 exited (this process now belongs to 1)" });
    assert.deepEqual(warnings, ["lambda-bench: the parent process (100) is gone: stopping; no new invocations are sent"]);
  });

  it("a write failure stops the run and is recorded as write-failed; an error in the body as error", async () => {
    const a = setup();
    await a.life.run(async () => {
      const out = a.life.output(a.file, provenance());
      out.record(record);
      a.sinks[0].fail("ENOSPC");
      assert.equal(a.life.signal.aborted, true);
    });
    assert.deepEqual(meta(a.file).interrupted, { reason: "write-failed", detail: `${a.file}: ENOSPC` });
    assert.equal(a.life.exitCode, undefined);
    const b = setup();
    await assert.rejects(b.life.run(async () => {
      b.life.output(b.file, provenance());
      throw new Error("boom\nmore");
    }), /boom/);
    assert.deepEqual(meta(b.file).interrupted, { reason: "error", detail: "boom" });
  });

  it("without a file, the run's provenance still gets its end, calls and interruption (what --json prints)", async () => {
    const host = new FakeHost();
    const p = provenance();
    const life = new RunLifecycle({ open: () => { throw new Error("no file"); }, planned: 5, host, provenance: [p] });
    await life.run(async () => {
      life.record(record);
      host.send("SIGINT");
    });
    assert.notEqual(p.endedAt, null);
    assert.deepEqual([p.interrupted, p.calls], [{ reason: "signal", detail: "SIGINT" }, { planned: 5, done: 1 }]);
  });

  it("a folder's sidecar counts every call; each file's its own", async () => {
    const { life, file } = setup(4);
    const folderMeta = path.join(path.dirname(file), "meta.json");
    await life.run(async () => {
      life.sidecar(folderMeta, provenance());
      const x = life.output(file, provenance(), 2);
      const y = life.output(file.replace("run", "run2"), provenance(), 2);
      x.record(record);
      y.record(record);
      y.record(record);
    });
    assert.deepEqual((JSON.parse(fs.readFileSync(folderMeta, "utf8")) as Provenance).calls, { planned: 4, done: 3 });
    assert.deepEqual(meta(file).calls, { planned: 2, done: 1 });
  });
});

describe("never overwrite a result (runs/claim.ts)", () => {
  it("an existing file or sidecar is refused with a free name; --force removes exactly those", () => {
    const dir = workspace();
    const f = path.join(dir, "hello.jsonl");
    assert.equal(claimFiles([f], false), null);
    fs.writeFileSync(f, "x\n");
    fs.writeFileSync(path.join(dir, "hello-2.jsonl.meta.json"), "{}");
    assert.deepEqual(claimFiles([f], false), { taken: f, suggestion: path.join(dir, "hello-3.jsonl") });
    fs.writeFileSync(`${f}.meta.json`, "{}");
    assert.equal(claimFiles([f], true), null);
    assert.equal(fs.existsSync(f) || fs.existsSync(`${f}.meta.json`), false);
    assert.equal(claimFiles(["/dev/null"], false), null, "a device is not a result");
  });

  it("a sweep folder holding runs is refused; --force removes only this sweep's files", () => {
    const dir = path.join(workspace(), "sweep");
    const mine = [path.join(dir, "aes-512mb.jsonl"), path.join(dir, "aes-1024mb.jsonl")];
    assert.equal(claimFolder(dir, mine, false), null, "no folder yet");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "notes.txt"), "x");
    assert.equal(claimFolder(dir, mine, false), null, "a folder without runs");
    for (const f of [...mine, path.join(dir, "aes-256mb.jsonl")]) fs.writeFileSync(f, "x\n");
    fs.writeFileSync(path.join(dir, "meta.json"), "{}");
    assert.deepEqual(claimFolder(dir, mine, false), { taken: dir, suggestion: `${dir}-2` });
    assert.equal(claimFolder(dir, mine, true), null);
    assert.deepEqual(fs.readdirSync(dir).sort(), ["aes-256mb.jsonl", "notes.txt"]);
  });
});

describe("withTemporaryConfiguration", function () {
  this.timeout(60_000);
  const FN = "lb-restore";
  const suite = withMotoFunction(FN, { MemorySize: 512, Architectures: ["arm64"], Timeout: 30 });
  const FAST = { minDelay: 0.01, maxWait: 5 };
  const memory = async () => (await suite.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: FN }))).MemorySize;
  const change = { what: "memory", apply: { MemorySize: 256 }, restore: { MemorySize: 512 }, original: "512 MB" };

  it("changes, runs the body under the change, puts the original back", async () => {
    const seen: (number | undefined)[] = [];
    const r = await withTemporaryConfiguration(suite.lambda, FN, change, async (set) => {
      seen.push(await memory());
      await set({ MemorySize: 1024 });
      seen.push(await memory());
      return "done";
    }, FAST);
    assert.deepEqual(seen, [256, 1024]);
    assert.deepEqual(r, { value: "done" });
    assert.equal(await memory(), 512);
    assert.equal(pendingRestores.size, 0);
  });

  it("the body's error is rethrown after the original is back", async () => {
    await assert.rejects(withTemporaryConfiguration(suite.lambda, FN, change, async () => { throw new Error("mid-run"); }, FAST), /mid-run/);
    assert.equal(await memory(), 512);
  });

  it("a restore that fails: one wording, naming the function, what and the value; the body's error kept", async () => {
    // A client whose every change back to 512 MB is refused (as a lost connection or a denied call would be).
    const refusing = {
      send: (cmd: { input: { MemorySize?: number } }) => cmd instanceof UpdateFunctionConfigurationCommand && cmd.input.MemorySize === 512
        ? Promise.reject(new Error("refused")) : suite.lambda.send(cmd as GetFunctionConfigurationCommand),
    } as unknown as LambdaClient;
    const bad = change;
    const r = await withTemporaryConfiguration(refusing, FN, bad, async () => 1, FAST);
    assert.ok(r.restoreError instanceof RestoreError);
    assert.match(r.restoreError.describe(() => "refused"), /^could not put lb-restore's memory back to 512 MB: refused; run `pulumi up` to restore it$/);
    assert.equal(await memory(), 256, "left changed");
    const err = await withTemporaryConfiguration(refusing, FN, bad, async () => { throw new Error("first"); }, FAST).catch((e) => e);
    assert.ok(err instanceof RestoreError);
    assert.equal((err.during as Error).message, "first");
    await withTemporaryConfiguration(suite.lambda, FN, { ...change, apply: undefined }, async () => 0, FAST); // no change first: only the restore
    assert.equal(await memory(), 512);
  });
});
