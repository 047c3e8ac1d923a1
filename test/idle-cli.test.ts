// `lambda-bench idle` end to end: the CLI against a loopback Invoke server that reclaims an
// instance after 300 ms idle (real, short waits), its JSONL read back by `report`, and Ctrl-C.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cli, spawnCli } from "./run-cli";
import type { Provenance } from "../src/runs/provenance";
import { parseRecord } from "../src/runs/record";
import { InvokeServer, logTail, type Call } from "../src/standin/invoke-server";
import { TEST_CREDENTIALS, TEST_REGION } from "../src/standin/moto";
import { idlePlan } from "../src/measure/idle";
import type { IdleJson } from "../src/cli/commands/idle";

const reply = (call: Call) => ({
  kind: "ok" as const,
  log: logTail(call.requestId, { durationMs: 3, billedMs: 3, memoryMb: 128, maxMemoryMb: 50, ...(call.cold ? { initMs: 200 + call.n } : {}) }),
});

describe("idle command", function () {
  this.timeout(60_000);
  const saved = { ...process.env };
  let dir: string;
  let server: InvokeServer;
  before(() => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_REGION: TEST_REGION });
    delete process.env.AWS_PROFILE;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lambda-bench-idle-"));
  });
  after(() => {
    process.env = saved;
  });
  beforeEach(async () => {
    server = await InvokeServer.start(reply);
    server.evictAfterMs = 300;
  });
  afterEach(() => server.close());

  const base = () => ["--endpoint", server.endpoint, "--region", TEST_REGION];

  it("prints its time first, then per idle time the cold share with its interval; --out holds every call; report reads it back", async () => {
    const out = path.join(dir, "idle.jsonl");
    const r = await cli(["idle", "hello", "--after", "10ms,700ms", "--repeat", "3", "--seed", "7", "--out", out, "--json", ...base()]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^idle: 6 probes \(2 idle times x 3, seed 7\) on hello: about 14\.1s \(2\.13s idle \+ 12 calls at ~1s\), done about \d{4}-\d\d-\d\d \d\d:\d\d UTC\n$/);
    const j = JSON.parse(r.out) as IdleJson;
    assert.equal(j.completed, 6);
    assert.deepEqual(j.rows.map((row) => [row.after, row.n, row.cold, row.coldShare]), [["10ms", 3, 0, 0], ["700ms", 3, 3, 1]]);
    assert.deepEqual(j.rows[1].coldShareCi95!.map((x) => x.toFixed(3)), ["0.439", "1.000"]);
    assert.deepEqual(j.workload, { shape: "idle", after: "10ms,700ms", repeat: 3, seed: 7 });
    assert.equal(server.evictions, 3, "the server reclaimed exactly the instances the 700ms probes found gone");
    // The provenance sidecar names the experiment, its seed and plan, as measure's does.
    const meta = JSON.parse(fs.readFileSync(`${out}.meta.json`, "utf8")) as Provenance;
    assert.deepEqual([meta.workload, meta.seed, meta.plan.after, meta.plan.repeat], [j.workload, 7, "10ms,700ms", 3]);
    assert.ok(meta.endedAt !== null && meta.endedAt >= meta.startedAt, "start and end times");

    const records = fs.readFileSync(out, "utf8").trim().split("\n").map((l) => {
      const p = parseRecord(JSON.parse(l));
      assert.ok(p.ok);
      return p.record;
    });
    assert.equal(records.length, 12);
    const plan = idlePlan([10, 700], 3, 7);
    assert.deepEqual(records.filter((x) => !x.warmup).map((x) => x.idleMs), plan.map((s) => s.idleMs), "probes in the seeded plan order");
    assert.deepEqual(records.map((x) => x.warmup), [true, false, true, false, true, false, true, false, true, false, true, false]);
    // A probe's init is the server's: 200 + its call number.
    for (const x of records.filter((x) => !x.warmup && x.idleMs === 700)) assert.equal(x.initMs, 200 + records.indexOf(x));

    const rep = await cli(["report", out, "--html", path.join(dir, "idle.html")]);
    assert.equal(rep.code, 0, rep.err);
    assert.match(rep.out, /idle probes\nafter\s+n\s+cold\s+cold share\s+95% CI/);
    assert.match(rep.out, /^700ms\s+3\s+3\s+1\.00\s+\[0\.44, 1\.00\]\s+\d+\.0\s+\d+\.0-\d+\.0$/m);
    assert.match(rep.out, /invocations 6 /, "the summary leaves the warming calls out");
    const html = fs.readFileSync(path.join(dir, "idle.html"), "utf8");
    const fig = /<figure data-chart="idle">([\s\S]*?)<\/figure>/.exec(html);
    assert.ok(fig, "the idle chart is drawn");
    assert.match(fig[1], /<svg[\s\S]*Cold-start share against idle time/);
    assert.match(fig[1], /idle time \(ms\)/);
  });

  it("prints a table a person reads", async () => {
    const r = await cli(["idle", "hello", "--after", "10ms,700ms", "--repeat", "2", "--seed", "1", ...base()]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split("\n");
    assert.match(lines[0], /^hello \(hello, us-east-1\)  idle after 10ms,700ms, seed 1$/);
    assert.equal(lines[1], "probes 4 of 4");
    assert.match(lines[2], /^after\s+n\s+cold\s+cold share\s+95% CI\s+init p50 ms\s+init range ms$/);
    assert.match(lines[3], /^10ms\s+2\s+0\s+0\.00\s+\[0\.00, 0\.66\]\s+-\s+-$/);
    assert.match(lines[4], /^700ms\s+2\s+2\s+1\.00\s+\[0\.34, 1\.00\]/);
  });

  it("usage errors: one line, exit 2", async () => {
    for (const [args, message] of [
      [["--after", "5,1m"], /--after: "5" is not a duration/],
      [["--after", "1m", "--repeat", "0"], /--repeat must be a whole number >= 1/],
      [[], /required option '--after <durations>' not specified/],
      [["--after", "1m", "--seed", "4294967296"], /--seed must be at most 4294967295/],
    ] as const) {
      const r = await cli(["idle", "hello", ...args, ...base()]);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, message);
      assert.equal(r.err.trim().split("\n").length, 1, r.err);
    }
    assert.equal(server.received, 0);
  });

  it("Ctrl-C in a wait ends it at once: the completed probes are printed, every call is in --out, exit 130", async () => {
    // A seed whose plan starts with the short wait, so one probe completes before the long one.
    const seed = [...Array(50).keys()].find((s) => idlePlan([10, 600_000], 1, s)[0].idleMs === 10)!;
    const out = path.join(dir, "interrupted.jsonl");
    const { child, exited } = spawnCli(["idle", "hello", "--after", "10ms,10m", "--repeat", "1", "--seed", String(seed), "--out", out, ...base()],
      { env: { ...process.env } });
    server.onServed = (served) => {
      if (served === 3) setTimeout(() => child.kill("SIGINT"), 100); // in the 10-minute wait
    };
    const started = Date.now();
    const { code, out: stdout, err } = await exited;
    assert.equal(code, 130, err);
    assert.ok(Date.now() - started < 30_000, "the wait ended on the signal");
    assert.match(stdout, /INTERRUPTED/);
    assert.match(stdout, /^probes 1 of 2$/m);
    assert.match(stdout, /^10ms\s+1\s+0\s+0\.00/m);
    assert.doesNotMatch(stdout, /^10m\s/m);
    assert.match(err, new RegExp(`lambda-bench: interrupted: 1 of 2 probes completed, every completed call in ${out.replace(/[.\\]/g, "\\$&")}\n$`));
    const lines = fs.readFileSync(out, "utf8").split("\n");
    assert.equal(lines.pop(), "");
    assert.equal(lines.length, 3);
    assert.equal(server.received, 3, "no probe after Ctrl-C");
  });
});
