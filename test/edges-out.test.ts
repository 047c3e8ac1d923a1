// `--out` failing mid-run (issue 17): the run stops sending, the error names the path, the summary
// of what completed is printed marked INTERRUPTED, the exit is 1, and what the file holds is whole
// records only. /dev/full is a full disk; `ulimit -f` a file-size limit that cuts a write in half.
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { JsonlWriter, type JsonlFs } from "../src/runs/jsonl";
import { parseRecord } from "../src/runs/record";
import type { SummaryJson } from "../src/summary/summary";
import { InvokeServer } from "../src/standin/invoke-server";
import { withMotoFunction } from "./servers/moto-hooks";
import { spawnCli } from "./run-cli";
import { CRASH, ENV, ok, tmp } from "./edges-support";

const BIN = path.resolve(__dirname, "..", "..", "bin", "lambda-bench.js");

/** Every line of `file` is a whole invocation record; returns how many. */
function wholeRecords(file: string): number {
  const text = fs.readFileSync(file, "utf8");
  if (text === "") return 0;
  assert.ok(text.endsWith("\n"), "the file ends with a whole line");
  const lines = text.slice(0, -1).split("\n");
  for (const [i, line] of lines.entries()) assert.ok(parseRecord(JSON.parse(line)).ok, `line ${i + 1} is a record`);
  return lines.length;
}

describe("edges: --out failing mid-run", function () {
  this.timeout(120_000);

  it("--out /dev/full: stops at the first record, names the path, prints the summary marked INTERRUPTED, exit 1", async () => {
    const s = await InvokeServer.start(ok);
    try {
      const r = await spawnCli(["measure", "f", "-n", "20", "-c", "1", "--endpoint", s.endpoint, "--out", "/dev/full"], { env: ENV, cwd: tmp() }).exited;
      assert.equal(r.code, 1, r.err);
      assert.deepEqual(r.err.trimEnd().split("\n"), [
        "lambda-bench: cannot write /dev/full: no space left on the device (ENOSPC); stopping: no new invocations are sent (the file keeps 0 whole records)",
        "lambda-bench: --out /dev/full failed: no space left on the device (ENOSPC); the run was cut short after 1 invocation (the summary above), 0 of them recorded in /dev/full",
      ]);
      assert.doesNotMatch(r.err, CRASH);
      assert.match(r.out, /^f \(f, us-east-1, x86_64, 128 MB\)  INTERRUPTED\ninvocations 1  errors 0 /);
      // With one in flight, nothing was sent after the record that could not be written.
      assert.equal(s.received, 1);
    } finally {
      await s.close();
    }
  });

  it("--out /dev/full --json: the summary JSON says interrupted, and the error line follows it", async () => {
    const s = await InvokeServer.start(ok);
    try {
      const r = await spawnCli(["measure", "f", "-n", "10", "-c", "2", "--json", "--endpoint", s.endpoint, "--out", "/dev/full"], { env: ENV, cwd: tmp() }).exited;
      assert.equal(r.code, 1);
      const sum = JSON.parse(r.out) as SummaryJson;
      assert.equal(sum.interrupted, true);
      assert.ok(sum.invocations >= 1 && sum.invocations <= 2, `at most the two in flight completed: ${sum.invocations}`);
      assert.match(r.err, new RegExp(`cut short after ${sum.invocations} invocations? \\(the summary above\\), 0 of them recorded in /dev/full\\n$`));
    } finally {
      await s.close();
    }
  });

  it("a file-size limit cuts a write in half: the file is cut back to whole records, and the count is said", async () => {
    const s = await InvokeServer.start(ok);
    const dir = tmp();
    const out = path.join(dir, "run.jsonl");
    try {
      // 8 blocks of 512 bytes: a few records. Node ignores SIGXFSZ, so the write returns short, then EFBIG.
      const child = spawn("bash", ["-c", `ulimit -f 8; exec "${process.execPath}" "${BIN}" "$@"`, "bash",
        "measure", "f", "-n", "2000", "-c", "4", "--endpoint", s.endpoint, "--out", out], { env: ENV, cwd: dir });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c) => { stdout += c; });
      child.stderr.on("data", (c) => { stderr += c; });
      const code = await new Promise((resolve) => child.on("close", resolve));
      assert.equal(code, 1, stderr);
      assert.doesNotMatch(stderr, CRASH);
      const m = /the run was cut short after (\d+) invocations \(the summary above\), (\d+) of them recorded in (.*)\n$/.exec(stderr);
      assert.ok(m, stderr);
      assert.equal(m[3], out);
      assert.match(stderr, new RegExp(`^lambda-bench: cannot write ${out}: the file is larger than this system allows \\(EFBIG\\); stopping`));
      const records = wholeRecords(out);
      assert.equal(records, Number(m[2]), "the count said is the count in the file");
      assert.ok(fs.statSync(out).size <= 8 * 512);
      assert.match(stdout, new RegExp(`INTERRUPTED\\ninvocations ${m[1]} `));
      // A 64 KB buffer fills within ~150 records; the run stopped long before its 2,000.
      assert.ok(s.received < 1000, `sent ${s.received}`);
    } finally {
      await s.close();
    }
  });

  describe("sweep", () => {
    const FN = "lb-edges-sweep";
    const suite = withMotoFunction(FN, { MemorySize: 512, Architectures: ["arm64"], Timeout: 30 });

    it("a size's file that cannot be written stops the sweep, names the file, and memory is restored", async () => {
      const s = await InvokeServer.start(ok, suite.moto.endpoint);
      const dir = path.join(tmp(), "sweep");
      fs.mkdirSync(dir);
      fs.symlinkSync("/dev/full", path.join(dir, `${FN}-256mb.jsonl`));
      try {
        const r = await spawnCli(["sweep", FN, "--memory", "128,256,1024", "-n", "5", "--endpoint", s.endpoint, "--out", dir],
          { env: { ...ENV, ...process.env }, cwd: tmp() }).exited;
        assert.equal(r.code, 1, r.err);
        assert.doesNotMatch(r.err, CRASH);
        const file = path.join(dir, `${FN}-256mb.jsonl`);
        assert.match(r.err, new RegExp(`^lambda-bench: cannot write ${file}: no space left on the device \\(ENOSPC\\); stopping`));
        assert.match(r.err, new RegExp(`--out ${file} failed: .* cut short after 1 invocation \\(the 256 MB row\\), 0 of them recorded in ${file}; memory restored to 512 MB\\n$`));
        assert.match(r.out, /^ {6}128 {2}5 /m);
        assert.doesNotMatch(r.out, /^ +1024 /m, "the sweep stopped at the failing size");
        assert.equal(wholeRecords(path.join(dir, `${FN}-128mb.jsonl`)), 5);
        const now = await suite.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: FN }));
        assert.equal(now.MemorySize, 512);
      } finally {
        await s.close();
      }
    });

    it("a size's file that cannot be opened (a folder is in the way) stops the sweep there, memory restored", async () => {
      const s = await InvokeServer.start(ok, suite.moto.endpoint);
      const dir = path.join(tmp(), "sweep");
      fs.mkdirSync(path.join(dir, `${FN}-256mb.jsonl`), { recursive: true });
      try {
        const r = await spawnCli(["sweep", FN, "--memory", "128,256,1024", "-n", "3", "--endpoint", s.endpoint, "--out", dir],
          { env: { ...ENV, ...process.env }, cwd: tmp() }).exited;
        assert.equal(r.code, 1, r.err);
        assert.equal(r.err, `lambda-bench: cannot write ${path.join(dir, `${FN}-256mb.jsonl`)}: it is a folder; name a file (EISDIR); ` +
          "the sweep stopped there; memory restored to 512 MB\n");
        assert.equal(wholeRecords(path.join(dir, `${FN}-128mb.jsonl`)), 3);
        // 128 MB's three calls only: none at 256 MB, whose file could not be opened, nor after.
        assert.equal(s.received, 3);
        const now = await suite.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: FN }));
        assert.equal(now.MemorySize, 512);
      } finally {
        await s.close();
      }
    });

    it("--out that cannot be a folder: one line, before any change", async () => {
      const s = await InvokeServer.start(ok, suite.moto.endpoint);
      try {
        const r = await spawnCli(["sweep", FN, "--memory", "128", "-n", "2", "--endpoint", s.endpoint, "--out", "/dev/full/runs"],
          { env: { ...ENV, ...process.env }, cwd: tmp() }).exited;
        assert.equal(r.code, 1);
        assert.equal(r.err, "lambda-bench: cannot make the folder /dev/full/runs for --out: a part of the path is not a folder (ENOTDIR)\n");
        assert.equal(s.configUpdates.length, 0);
        assert.equal(s.received, 0);
      } finally {
        await s.close();
      }
    });
  });
});

describe("edges: JsonlWriter captures write failures", () => {
  /** Real file operations, but the nth write takes only `partial` bytes and the next throws ENOSPC. */
  function failingAt(nth: number, partial: number): JsonlFs & { writes: number } {
    const files = {
      writes: 0,
      writeSync(fd: number, buffer: Uint8Array, offset: number, length: number) {
        files.writes++;
        if (files.writes === nth) return fs.writeSync(fd, buffer, offset, Math.min(partial, length), null);
        if (files.writes > nth) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
        return fs.writeSync(fd, buffer, offset, length, null);
      },
      ftruncateSync: (fd: number, len: number) => fs.ftruncateSync(fd, len),
      closeSync: (fd: number) => fs.closeSync(fd),
    };
    return files;
  }

  it("a write cut in half: the error is kept, not thrown; the file is cut back to its whole lines; later records are dropped", () => {
    const file = path.join(tmp(), "run.jsonl");
    // maxBytes 1: every record is flushed on its own.
    const w = new JsonlWriter(file, 1, 100, failingAt(3, 5));
    const errors: string[] = [];
    w.onError = (err) => errors.push(err.code!);
    for (let i = 0; i < 6; i++) w.write({ i, pad: "x".repeat(20) });
    w.close();
    w.close();
    assert.deepEqual(errors, ["ENOSPC"]);
    assert.equal(w.error?.code, "ENOSPC");
    assert.equal(w.written, 2);
    assert.deepEqual(fs.readFileSync(file, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l).i), [0, 1]);
  });

  it("a short write that the next call completes is not a failure", () => {
    const file = path.join(tmp(), "run.jsonl");
    let calls = 0;
    const files: JsonlFs = {
      // Every write takes at most 7 bytes, as a pipe or a signal-interrupted write may.
      writeSync: (fd, buffer, offset, length) => { calls++; return fs.writeSync(fd, buffer, offset, Math.min(7, length), null); },
      ftruncateSync: fs.ftruncateSync,
      closeSync: fs.closeSync,
    };
    const w = new JsonlWriter(file, 1, 100, files);
    for (let i = 0; i < 3; i++) w.write({ i });
    w.close();
    assert.equal(w.error, undefined);
    assert.ok(calls > 3);
    assert.deepEqual(fs.readFileSync(file, "utf8"), '{"i":0}\n{"i":1}\n{"i":2}\n');
  });

  it("writes each value as JSON.stringify's line, in UTF-8, whatever its characters or size", () => {
    const file = path.join(tmp(), "run.jsonl");
    // maxBytes 64: a few lines a flush; one line far larger than the writer's buffer.
    const w = new JsonlWriter(file, 64);
    const values = [{ s: "é" }, { s: "\u{1F600}\ud800 \"q\" \\" }, { big: "ü".repeat(200_000) }, { i: 3 }, ...Array.from({ length: 50 }, (_, i) => ({ i }))];
    values.forEach((v) => w.write(v));
    w.close();
    assert.equal(w.written, values.length);
    assert.equal(fs.readFileSync(file, "utf8"), values.map((v) => `${JSON.stringify(v)}\n`).join(""));
  });

  it("a failing close is captured too", () => {
    const file = path.join(tmp(), "run.jsonl");
    const files: JsonlFs = {
      writeSync: (fd, buffer, offset, length) => fs.writeSync(fd, buffer, offset, length, null),
      ftruncateSync: fs.ftruncateSync,
      closeSync: (fd) => { fs.closeSync(fd); throw Object.assign(new Error("EIO: i/o error, close"), { code: "EIO" }); },
    };
    const w = new JsonlWriter(file, 1, 100, files);
    w.write({ i: 0 });
    assert.doesNotThrow(() => w.close());
    assert.equal(w.error?.code, "EIO");
    assert.equal(w.written, 1);
  });
});
