// The exact merge (issue 28): shard files written in completion order become one run file sorted by
// scheduled time (ties by shard), each record carrying its shard; the merged summary is the fold of
// the union (p50/p99 the union's nearest ranks, not an average of the shards'); the union is
// checked against the one-process schedule; the start skew comes from the shards' clock files.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseEvery } from "../src/workload/burst";
import { Rng } from "../src/rng";
import { scheduleOf, shardSchedules, type WorkloadPlan } from "../src/workload/segments";
import { completeRecord, parseRecord, type InvocationRecord } from "../src/runs/record";
import { readRunFile } from "../src/runs/read";
import { RunSummary } from "../src/summary/summary";
import { mergeShards, MergeError, type ShardFiles } from "../src/generator/merge";
import { writeShardClock, startSkew, readShardClock } from "../src/generator/skew";
import { workspace } from "./fixtures";
import { nearestRank } from "./percentile";

const plan: WorkloadPlan = { shape: "burst", burst: { size: 25, gaps: parseEvery("50ms"), count: 40, seed: 1 } };
const N = 3;
const T0 = Date.parse("2026-12-04T15:00:00.000Z");

/** A shard's records as its driver would write them: in completion order, shard 2 the slow one. */
function shardRecords(shard: number, rng: Rng): InvocationRecord[] {
  const s = shardSchedules(plan, N)[shard];
  const out: { done: number; r: InvocationRecord }[] = [];
  for (let t = s.next(); t !== Infinity; t = s.next()) {
    const dropped = rng.next() < 0.02;
    const latency = Math.round((shard === 2 ? 20 + rng.exponential(80) : 5 + rng.exponential(4)) * 1000) / 1000;
    const lag = Math.round(rng.next() * 300) / 1000;
    const r = completeRecord({
      benchmark: "hello", function: "lambda-bench-hello", region: "us-east-1", architecture: "arm64", configMemoryMb: 128,
      requestId: dropped ? null : `${shard}-${s.index}`, start: new Date(T0 + t).toISOString(), clientMs: dropped ? 0 : latency - lag,
      status: dropped ? "dropped" : 200, functionError: null, error: null, retries: 0, throttles: 0, forcedCold: false,
      cold: dropped ? null : false, durationMs: dropped ? null : 3, billedMs: dropped ? null : 3, memoryMb: 128, maxMemoryMb: 70,
      initMs: null, restoreMs: null, reportStatus: null, errorType: null, costUsd: dropped ? null : 1e-7,
      workload: s.workload, scheduledAt: t, sentAt: dropped ? null : t + lag, lagMs: dropped ? null : lag,
      latencyMs: dropped ? null : latency, burst: s.burst,
    });
    out.push({ done: dropped ? t : t + latency, r });
  }
  return out.sort((a, b) => a.done - b.done).map((x) => x.r);
}

function writeShards(dir: string, records: InvocationRecord[][], strip = true): ShardFiles[] {
  return records.map((rs, shard) => {
    const file = path.join(dir, `shard-${shard}.jsonl`);
    // Written without the shard field, as a file from before it would be: the merge fills it in.
    fs.writeFileSync(file, rs.map((r) => {
      const { shard: _, ...rest } = r;
      return `${JSON.stringify(strip ? rest : r)}\n`;
    }).join(""));
    return { shard, records: file };
  });
}

async function readAll(file: string): Promise<InvocationRecord[]> {
  const out: InvocationRecord[] = [];
  await readRunFile(file, (r) => out.push(r));
  return out;
}

describe("merging shard files", () => {
  const dir = workspace();
  const rng = new Rng(28);
  const shards = Array.from({ length: N }, (_, i) => shardRecords(i, rng));
  const union = shards.flat();

  it("sorts by scheduled time (ties by shard), every record with its shard, through spilled runs or in memory alike", async () => {
    // The inputs are out of scheduled order (completion order), so the merge has sorting to do.
    assert.ok(shards[2].some((r, i) => i > 0 && r.scheduledAt! < shards[2][i - 1].scheduledAt!));
    const files = writeShards(dir, shards);
    const small = path.join(dir, "small.jsonl");
    const r1 = await mergeShards(files, small, { chunk: 37, fanIn: 2, tmpDir: dir, expected: scheduleOf(plan) });
    assert.ok(r1.spilled > 20, `${r1.spilled} runs spilled`);
    const big = path.join(dir, "big.jsonl");
    const r2 = await mergeShards(files, big, { expected: scheduleOf(plan) });
    assert.equal(r2.spilled, 0);
    assert.equal(fs.readFileSync(small, "utf8"), fs.readFileSync(big, "utf8"));
    assert.equal(r1.records, 1000);
    const merged = await readAll(big);
    assert.equal(merged.length, 1000);
    merged.forEach((r, i) => {
      assert.equal(r.shard, Number(r.requestId?.split("-")[0] ?? r.shard));
      if (i > 0) {
        const p = merged[i - 1];
        assert.ok(p.scheduledAt! < r.scheduledAt! || (p.scheduledAt === r.scheduledAt && p.shard! <= r.shard!), `record ${i} out of order`);
      }
    });
    // Burst 0's 25 calls: shards 0, 1, 2 hold 9, 8, 8 of them, merged shard by shard.
    assert.deepEqual(merged.slice(0, 25).map((r) => r.shard), [...Array(9).fill(0), ...Array(8).fill(1), ...Array(8).fill(2)]);
    // The same records, nothing lost or made up.
    const key = (r: InvocationRecord) => `${r.scheduledAt}/${r.requestId}/${r.latencyMs}`;
    assert.deepEqual(merged.map(key).sort(), union.map(key).sort());
    // No temporary files are left.
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith("lambda-bench-merge-")), []);
  });

  it("the merged summary is the fold of the union: p50 and p99 the union's, not the shards' average", async () => {
    const files = writeShards(dir, shards);
    const { summary } = await mergeShards(files, path.join(dir, "m.jsonl"), { chunk: 100 });
    const direct = new RunSummary();
    for (const r of union) direct.add(r);
    assert.deepEqual(summary.toJson(), direct.toJson());
    const latencies = union.filter((r) => r.latencyMs !== null).map((r) => r.latencyMs!);
    const got = summary.toJson().latencyMs;
    assert.equal(got.p50, nearestRank(latencies, 50));
    assert.equal(got.p99, nearestRank(latencies, 99));
    const perShard = shards.map((rs) => nearestRank(rs.filter((r) => r.latencyMs !== null).map((r) => r.latencyMs!), 99));
    const averaged = perShard.reduce((a, b) => a + b, 0) / N;
    assert.ok(Math.abs(averaged - got.p99!) > 10, `the average of the shards' p99 (${averaged}) is not the p99 (${got.p99})`);
    assert.equal(summary.toJson().dropped, union.filter((r) => r.status === "dropped").length);
    // The merged file, read back as `report` reads it, folds to the same summary.
    const back = new RunSummary();
    await readRunFile(path.join(dir, "m.jsonl"), (r) => back.add(r));
    assert.deepEqual(back.toJson(), summary.toJson());
  });

  it("checks the union against the schedule: a missing call, an extra one, a record of another shard", async () => {
    const missing = shards.map((rs, i) => (i === 1 ? rs.filter((r) => !(r.burst === 7 && r.requestId === rs.find((x) => x.burst === 7)?.requestId)) : rs));
    await assert.rejects(mergeShards(writeShards(dir, missing), path.join(dir, "x.jsonl"), { expected: scheduleOf(plan) }),
      (e: Error) => e instanceof MergeError && /record 200 \(shard 0\) was scheduled at 400 ms; the schedule.s call there is at 350 ms/.test(e.message));
    const extra = shards.map((rs, i) => (i === 0 ? [...rs, { ...rs[0], scheduledAt: 99_000 }] : rs));
    await assert.rejects(mergeShards(writeShards(dir, extra), path.join(dir, "x.jsonl"), { expected: scheduleOf(plan) }),
      (e: Error) => /record 1001 \(shard 0\) is past the end of the schedule/.test(e.message));
    assert.equal(fs.existsSync(path.join(dir, "x.jsonl")), false, "no merged file is left after a failed check");
    const short = shards.map((rs, i) => (i === 2 ? rs.filter((r) => r.scheduledAt !== 1950) : rs));
    await assert.rejects(mergeShards(writeShards(dir, short), path.join(dir, "x.jsonl"), { expected: scheduleOf(plan) }),
      (e: Error) => /end before the schedule does: its call at 1950 ms is missing/.test(e.message));
    const wrong = shards.map((rs, i) => (i === 1 ? rs.map((r) => ({ ...r, shard: 2 })) : rs));
    await assert.rejects(mergeShards(writeShards(dir, wrong, false), path.join(dir, "x.jsonl")),
      (e: Error) => /shard-1\.jsonl:1: a record of shard 2 in shard 1's file/.test(e.message));
    await assert.rejects(mergeShards([{ shard: 0, records: path.join(dir, "shard-0.jsonl") }, { shard: 0, records: path.join(dir, "shard-1.jsonl") }], path.join(dir, "x.jsonl")),
      /shard 0 is given twice/);
  });

  it("a record from before shards loads with shard null", () => {
    const { shard: _, ...old } = shards[0][0];
    const parsed = parseRecord(JSON.parse(JSON.stringify(old)));
    assert.ok(parsed.ok);
    assert.equal(parsed.record.shard, null);
  });

  it("start skew from the shards' clock files", async () => {
    const clocks = [
      { shard: 0, startAtMs: T0, startedMs: T0 + 0.4, firstSendMs: T0 + 0.9, lastSendMs: T0 + 39_000.5 },
      { shard: 1, startAtMs: T0, startedMs: T0 + 2.5, firstSendMs: T0 + 3, lastSendMs: T0 + 39_001 },
      { shard: 2, startAtMs: T0, startedMs: T0 - 0.1, firstSendMs: null, lastSendMs: null },
    ];
    const files = writeShards(dir, shards).map((f, i) => {
      const clock = path.join(dir, `shard-${i}.clock.json`);
      writeShardClock(clock, clocks[i]);
      return { ...f, clock };
    });
    const { skew } = await mergeShards(files, path.join(dir, "s.jsonl"));
    assert.ok(skew);
    assert.equal(skew.shards, 3);
    assert.ok(Math.abs(skew.startSkewMs - 2.6) < 1e-3);
    assert.ok(Math.abs(skew.firstSendSkewMs! - 2.1) < 1e-3);
    assert.ok(Math.abs(skew.lastSendSkewMs! - 0.5) < 1e-3);
    assert.equal(skew.latest.shard, 1);
    assert.ok(Math.abs(skew.latest.lateMs - 2.5) < 1e-3);
    assert.deepEqual(startSkew([clocks[2]]).latest, { shard: 2, lateMs: 0 });
    fs.writeFileSync(path.join(dir, "bad.clock.json"), '{"shard":0}');
    assert.throws(() => readShardClock(path.join(dir, "bad.clock.json")), /bad\.clock\.json: startAtMs: /);
    assert.equal((await mergeShards(writeShards(dir, shards), path.join(dir, "s.jsonl"))).skew, null);
  });

  it("a shard file's cut last line is skipped with a warning", async () => {
    const files = writeShards(dir, shards);
    fs.appendFileSync(files[1].records, '{"benchmark":"hel');
    const warnings: string[] = [];
    const { records } = await mergeShards(files, path.join(dir, "c.jsonl"), { warn: (m) => warnings.push(m) });
    assert.equal(records, 1000);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /shard-1\.jsonl:\d+: the last line is cut short/);
  });
});
