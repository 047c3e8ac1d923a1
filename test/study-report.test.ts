// A study run to the end in-process against the stand-in, then `report` of its --out and of one
// experiment folder: the per-cell table, a memory comparison pooling each cell's repetitions as
// clusters, a cut-short repetition named; and a changed file refused before any call is sent.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { startStandin, type Standin } from "../src/standin/standin";
import { metaPathFor } from "../src/runs/provenance";
import { cli } from "./run-cli";
import { folder, ROOT } from "./study-support";

const TEXT = `experiments:
  - name: mem
    benchmarks: [hello]
    memory: [256, 512]
    workloads: [closed: {n: 8, c: 2}]
    repeat: 2
    order: sequential
`;

describe("run to the end, and report of a study", function () {
  this.timeout(60_000);
  let standin: Standin;
  before(async () => { standin = await startStandin(); });
  after(async () => { await standin?.stop(); });

  it("prints the plan, a line per run, the per-cell table and the memory comparison over repetitions; report shows the same", async () => {
    const dir = folder({ "study.yaml": TEXT });
    const out = path.join(dir, "runs");
    const args = ["run", path.join(dir, "study.yaml"), "--out", out, "--manifest", path.join(ROOT, "benchmarks.yaml"), "--endpoint", standin.endpoint, "--region", "us-east-1"];
    const base = standin.served();
    const r = await cli(args);
    assert.equal(r.code, 0, r.err);
    assert.equal(standin.served() - base, 32);
    const lines = r.out.split("\n");
    assert.equal(lines[0], `${dir}/study.yaml: 1 experiment, 2 cells, 4 runs`);
    assert.deepEqual(lines.filter((l) => l.startsWith("[")), [
      "[1/4] mem/hello/256/closed_n8_c2/rep-1.jsonl: 8 calls, 0 errors", "[2/4] mem/hello/256/closed_n8_c2/rep-2.jsonl: 8 calls, 0 errors",
      "[3/4] mem/hello/512/closed_n8_c2/rep-1.jsonl: 8 calls, 0 errors", "[4/4] mem/hello/512/closed_n8_c2/rep-2.jsonl: 8 calls, 0 errors",
    ]);
    assert.match(r.out, /\nhello\/256\/closed_n8_c2\s+2\s+16\s+0\s+\d+\s*\nhello\/512\/closed_n8_c2\s+2\s+16\s+0\s+\d+\s*\n/);
    assert.match(r.out, /\n-- memory: hello\/512\/closed_n8_c2 against hello\/256\/closed_n8_c2 \(2 against 2 repetitions\)\n/);
    assert.match(r.out, /\nduration \(ms; calls that did not start cold\), t-interval on repetition log medians \(A 2, B 2 repetitions\)\n/);
    assert.ok(fs.existsSync(path.join(out, "mem", "report.html")));

    // One repetition marked cut short in its provenance: the table and the comparison say so.
    const rep = path.join(out, "mem/hello/512/closed_n8_c2/rep-2.jsonl");
    const meta = JSON.parse(fs.readFileSync(metaPathFor(rep), "utf8"));
    fs.writeFileSync(metaPathFor(rep), JSON.stringify({ ...meta, interrupted: { reason: "signal", detail: "SIGINT" } }));
    for (const input of [out, path.join(out, "mem")]) {
      const rep2 = await cli(["report", input]);
      assert.equal(rep2.code, 0, rep2.err);
      assert.match(rep2.out, /^== study: .*mem \(2 cells\)\n/);
      assert.match(rep2.out, /\nhello\/512\/closed_n8_c2\s+2\s+16\s+0\s+\d+\s+1\n/);
      assert.match(rep2.out, /note: .*rep-2\.jsonl is .*SIGINT.*: a partial run/);
    }

    // A changed file: refused before any call, naming the cell.
    fs.writeFileSync(path.join(dir, "study.yaml"), TEXT.replace("{n: 8, c: 2}", "{n: 8, c: 4}"));
    const before = standin.served();
    const changed = await cli(args);
    assert.equal(changed.code, 1);
    assert.match(changed.err, /cannot resume: mem\/hello\/256\/closed_n8_c2: no longer in the file \(2 repetitions done\); mem\/hello\/512\/closed_n8_c2: no longer in the file/);
    assert.equal(standin.served(), before);
  });

  it("--only runs some experiments and keeps the others' state; --fresh --only reruns only those", async () => {
    const text = "experiments:\n  - name: a\n    benchmarks: [hello]\n    workloads: [closed: {n: 3}]\n" +
      "  - name: b\n    benchmarks: [hello]\n    workloads: [closed: {n: 4}]\n";
    const dir = folder({ "two.yaml": text });
    const out = path.join(dir, "runs");
    const args = ["run", path.join(dir, "two.yaml"), "--out", out, "--manifest", path.join(ROOT, "benchmarks.yaml"), "--endpoint", standin.endpoint, "--region", "us-east-1"];
    const done = () => JSON.parse(fs.readFileSync(path.join(out, "study.json"), "utf8")).cells.map((c: { id: string; done: number[] }) => `${c.id}:${c.done.join(",")}`).sort();
    let base = standin.served();
    assert.equal((await cli([...args, "--only", "a"])).code, 0);
    assert.equal(standin.served() - base, 3);
    assert.deepEqual(done(), ["a/hello/default/closed_n3:1"]);
    base = standin.served();
    const b = await cli([...args, "--only", "b"]);
    assert.equal(b.code, 0, b.err);
    assert.equal(standin.served() - base, 4);
    assert.deepEqual(done(), ["a/hello/default/closed_n3:1", "b/hello/default/closed_n4:1"]);
    base = standin.served();
    const all = await cli(args);
    assert.equal(all.code, 0, all.err);
    assert.match(all.out, /\nresume: 2 complete \(skipped\), 0 cut short or missing \(rerun whole\), 0 to run\n/);
    assert.equal(standin.served(), base, "nothing complete runs again");
    base = standin.served();
    const fresh = await cli([...args, "--only", "a", "--fresh"]);
    assert.equal(fresh.code, 0, fresh.err);
    assert.equal(standin.served() - base, 3);
    assert.deepEqual(done(), ["a/hello/default/closed_n3:1", "b/hello/default/closed_n4:1"]);
  });
});
