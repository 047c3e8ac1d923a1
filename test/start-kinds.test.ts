// Start kinds against real servers on loopback: moto_server for the control plane (the function,
// its version and its `live` alias), and the Invoke stand-in for SnapStart restores, provisioned
// environments (GetProvisionedConcurrencyConfig, which moto 5 does not serve) and scale-out cold starts.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { CreateAliasCommand, PublishVersionCommand } from "@aws-sdk/client-lambda";
import { cli } from "./run-cli";
import { parseRecord, type InvocationRecord } from "../src/runs/record";
import type { SummaryJson } from "../src/summary/summary";
import { workspace } from "./fixtures";
import { withMotoFunction } from "./servers/moto-hooks";
import { InvokeServer, logTail, type Call, type ReportValues } from "../src/standin/invoke-server";

const FN = "lb-kinds";
const SECRET = "testing";
// us-east-1, x86_64, first tier (src/measure/price-table.ts), written out again by hand.
const X86 = 0.0000166667;
const PROVISIONED_X86 = 0.0000097222;
const PC_X86 = 0.0000041667;
const RESTORE_GB = 0.0001397998;
const REQUEST = 0.0000002;

/** A stand-in reply from an instance that was already up: a REPORT without Init Duration. */
const warmReply = (call: { requestId: string }) => ({
  kind: "ok" as const, payload: "{}", log: logTail(call.requestId, { durationMs: 5, billedMs: 5, memoryMb: 1024, maxMemoryMb: 50 }),
});
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.abs(b), `${what}: ${a} vs ${b}`);

/** Holds the first `k` calls until all `k` have arrived: k environments in flight at once. */
function barrier(k: number) {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => { open = resolve; });
  return async (call: Call) => {
    if (call.n >= k) return;
    if (++arrived === k) open();
    await opened;
  };
}

function readRecords(file: string): InvocationRecord[] {
  return fs.readFileSync(file, "utf8").trim().split("\n").map((l) => {
    const r = parseRecord(JSON.parse(l));
    assert.ok(r.ok);
    return r.record;
  });
}

describe("start kinds against loopback servers", function () {
  this.timeout(120_000);
  const suite = withMotoFunction(FN, { MemorySize: 1024, Architectures: ["x86_64"], Timeout: 30 });
  before(async () => {
    const v = await suite.lambda.send(new PublishVersionCommand({ FunctionName: FN }));
    await suite.lambda.send(new CreateAliasCommand({ FunctionName: FN, Name: "live", FunctionVersion: v.Version! }));
  });

  it("counts scale-out cold starts, SnapStart restores and warm calls apart, each costed at its own rate", async () => {
    const sent = new Map<string, ReportValues>();
    const hold = barrier(4);
    const s = await InvokeServer.start(async (call) => {
      await hold(call);
      const durationMs = 20 + (call.n % 13);
      // New environments: even ones initialise (cold), odd ones restore a snapshot (SnapStart).
      const v: ReportValues = {
        durationMs, billedMs: Math.ceil(durationMs) + (call.cold && call.n % 2 === 0 ? 300 : 0), memoryMb: 1024, maxMemoryMb: 90,
        ...(call.cold && call.n % 2 === 0 ? { initMs: 299.5 } : {}),
        ...(call.cold && call.n % 2 === 1 ? { restoreMs: 410.25, billedRestoreMs: 120 + call.n } : {}),
      };
      sent.set(call.requestId, v);
      return { kind: "ok", payload: "{}", log: logTail(call.requestId, v) };
    }, suite.moto.endpoint, SECRET);
    s.scaleOut = true;
    const out = path.join(workspace(), "kinds.jsonl");
    try {
      const r = await cli(["measure", FN, "-n", "40", "-c", "4", "--endpoint", s.endpoint, "--out", out, "--json"]);
      assert.equal(r.code, 0, r.err);
      const sum = JSON.parse(r.out) as SummaryJson;
      // Four environments for four calls in flight: calls 0 and 2 cold, 1 and 3 restored, the rest warm.
      assert.deepEqual(sum.kinds, { cold: 2, restore: 2, provisioned: 0, warm: 36 });
      assert.deepEqual([sum.cold, sum.warm], [2, 36]);
      assert.equal(sum.split.restore.clientMs.n, 2);
      assert.equal(sum.split.cold.initMs.n, 2);
      const records = readRecords(out);
      // Hand-computed, per kind, from what the server sent.
      const want = { cold: 0, restore: 0, provisioned: 0, warm: 0 };
      for (const rec of records) {
        const v = sent.get(rec.requestId!)!;
        if (v.restoreMs !== undefined) {
          assert.equal(rec.startKind, "restore");
          assert.equal(rec.billedRestoreMs, v.billedRestoreMs);
          want.restore += ((v.billedMs + v.billedRestoreMs!) / 1000) * X86 + RESTORE_GB + REQUEST;
        } else if (v.initMs !== undefined) {
          assert.equal(rec.startKind, "cold");
          want.cold += (v.billedMs / 1000) * X86 + REQUEST;
        } else {
          assert.equal(rec.startKind, "warm");
          want.warm += (v.billedMs / 1000) * X86 + REQUEST;
        }
      }
      for (const k of ["cold", "restore", "warm"] as const) close(sum.cost.byKind[k].totalUsd!, want[k], k);
      close(sum.cost.totalUsd!, want.cold + want.restore + want.warm, "total");
      assert.equal(sum.cost.provisionedConcurrency, null);
      assert.ok(sum.notes.some((n) => /SnapStart's snapshot cache .* not measurable from the client/.test(n)), sum.notes.join("\n"));
      // One note for the rows with too few samples, naming them (cold and restore have 2 each).
      const few = sum.notes.filter((n) => /too few samples/.test(n));
      assert.deepEqual(few, ["too few samples for a 95% interval of the median (6 or more needed): cold (n = 2), restore (n = 2)"]);
    } finally {
      await s.close();
    }
  });

  it("--qualifier live reads GetProvisionedConcurrencyConfig and labels the calls provisioned; spill-over is cold and on demand", async () => {
    const hold = barrier(3);
    const seen: Call[] = [];
    const sent = new Map<string, ReportValues>();
    const s = await InvokeServer.start(async (call) => {
      await hold(call);
      seen.push(call);
      const v: ReportValues = { durationMs: 40.5, billedMs: 41, memoryMb: 1024, maxMemoryMb: 70, ...(call.cold ? { initMs: 250.25 } : {}) };
      sent.set(call.requestId, v);
      return { kind: "ok", payload: "{}", log: logTail(call.requestId, v) };
    }, suite.moto.endpoint, SECRET);
    s.scaleOut = true;
    s.setProvisionedConcurrency(FN, "live", 2);
    const out = path.join(workspace(), "live.jsonl");
    try {
      const r = await cli(["measure", FN, "--qualifier", "live", "-n", "30", "-c", "3", "--endpoint", s.endpoint, "--out", out, "--json"]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(s.provisionedLookups, [{ functionName: FN, qualifier: "live" }]);
      assert.ok(seen.every((c) => c.qualifier === "live"), "every Invoke carries ?Qualifier=live");
      assert.equal(s.badSignatures, 0, "the Qualifier query is signed");
      const sum = JSON.parse(r.out) as SummaryJson;
      assert.equal(sum.qualifier, "live");
      // Three in flight, two provisioned environments: the third is a scale-out cold start on demand.
      assert.equal(sum.kinds.cold, 1);
      assert.equal(sum.kinds.provisioned, 29);
      const records = readRecords(out);
      assert.ok(records.every((rec) => rec.qualifier === "live" && rec.provisionedConcurrency === 2));
      const cold = records.find((rec) => rec.startKind === "cold")!;
      close(cold.costUsd!, (41 + 0) / 1000 * X86 + REQUEST, "spill-over cold call at the on-demand rate");
      close(sum.cost.byKind.provisioned.totalUsd!, 29 * ((41 / 1000) * PROVISIONED_X86 + REQUEST), "provisioned calls");
      // The environments' own charge, for the run's wall time, apart from the calls.
      const pc = sum.cost.provisionedConcurrency!;
      assert.equal(pc.concurrency, 2);
      const first = Math.min(...records.map((rec) => Date.parse(rec.start)));
      const last = Math.max(...records.map((rec) => Date.parse(rec.start) + rec.clientMs));
      assert.equal(pc.wallMs, Math.round(last - first));
      close(pc.usd, 2 * 1 * (pc.wallMs / 1000) * PC_X86, "provisioned concurrency");
      assert.ok(sum.notes.some((n) => /provisioned environments are billed/.test(n)));
    } finally {
      await s.close();
    }
  });

  it("a qualifier without provisioned concurrency is warm; --cold or sweep with a qualifier is a usage error", async () => {
    const s = await InvokeServer.start(warmReply, suite.moto.endpoint, SECRET);
    try {
      const r = await cli(["measure", FN, "--qualifier", "live", "-n", "5", "--endpoint", s.endpoint, "--json"]);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual((JSON.parse(r.out) as SummaryJson).kinds, { cold: 0, restore: 0, provisioned: 0, warm: 5 });
      const bad = await cli(["measure", FN, "--qualifier", "live", "--cold", "1", "-n", "5", "--endpoint", s.endpoint]);
      assert.equal(bad.code, 2);
      assert.match(bad.err, /--cold changes \$LATEST's configuration, which --qualifier live does not run/);
      const sweep = await cli(["sweep", FN, "--qualifier", "live", "--memory", "128,256", "-n", "2", "--endpoint", s.endpoint]);
      assert.equal(sweep.code, 2);
      assert.match(sweep.err, /sweep changes \$LATEST's configuration, which --qualifier live does not run/);
      const missing = await cli(["measure", FN, "--qualifier", "nope", "-n", "1", "--endpoint", s.endpoint]);
      assert.equal(missing.code, 1);
      assert.match(missing.err, new RegExp(`function ${FN}:nope not found`));
    } finally {
      await s.close();
    }
  });

  it("flags forced cold starts that came back warm", async () => {
    // A stand-in whose environments survive configuration changes: the forcing does not work.
    const s = await InvokeServer.start(warmReply, suite.moto.endpoint, SECRET);
    try {
      const r = await cli(["measure", FN, "-n", "8", "--cold", "2", "--endpoint", s.endpoint, "--json"]);
      assert.equal(r.code, 0, r.err);
      const sum = JSON.parse(r.out) as SummaryJson;
      assert.equal(sum.forcedColdNotCold, 2);
      assert.equal(sum.kinds.cold, 0);
      assert.ok(sum.notes.some((n) => /^2 forced cold starts were not cold/.test(n)), sum.notes.join("\n"));
      const text = await cli(["measure", FN, "-n", "8", "--cold", "2", "--endpoint", s.endpoint]);
      assert.match(text.out, /forced-cold-but-warm 2/);
    } finally {
      await s.close();
    }
  });

  it("invoke --qualifier sends the Qualifier", async () => {
    const seen: Call[] = [];
    const s = await InvokeServer.start((call) => {
      seen.push(call);
      return { kind: "ok", payload: '"ok"' };
    }, suite.moto.endpoint, SECRET);
    try {
      const r = await cli(["invoke", FN, "--qualifier", "live", "--endpoint", s.endpoint]);
      assert.equal(r.code, 0, r.err);
      assert.equal(seen[0].qualifier, "live");
    } finally {
      await s.close();
    }
  });
});
