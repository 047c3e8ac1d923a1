// `lambda-bench run --plan` through the CLI: the plan and estimate of the example study, a study
// file's errors, and what a study.json in --out makes of a resume.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { planStudy } from "../src/study/plan";
import { markDone, stateOf, writeState } from "../src/study/state";
import { cli } from "./run-cli";
import { folder, ROOT, studyOf } from "./study-support";

const MANIFEST_ARGS = ["--manifest", path.join(ROOT, "benchmarks.yaml")];
const EXAMPLE = path.join(ROOT, "examples", "experiment.yaml");

describe("cli: run --plan", () => {
  it("prints the example's runs in interleaved order, their calls and the estimate; invokes nothing", async () => {
    const r = await cli(["run", EXAMPLE, "--plan", "--out", path.join(folder(), "runs"), ...MANIFEST_ARGS]);
    assert.equal(r.err, "");
    assert.equal(r.code, 0);
    const lines = r.out.trimEnd().split("\n");
    assert.equal(lines[0], `${EXAMPLE}: 1 experiment, 8 cells, 16 runs`);
    assert.equal(lines[1], "  memory-demo: 2 benchmarks x 2 memory sizes x 2 workloads = 8 cells, 2 repetitions, interleaved");
    assert.equal(lines[2], " #  run file                                                 calls");
    assert.equal(lines[3], " 1  memory-demo/hello/128/closed_n10_c2_warmup2/rep-1.jsonl     12");
    assert.equal(lines[11], " 9  memory-demo/hello/128/open_rate20_500ms/rep-2.jsonl         10"); // repetition 2 starts one cell on
    assert.equal(lines[18], "16  memory-demo/hello/128/closed_n10_c2_warmup2/rep-2.jsonl     12");
    assert.equal(lines[19], "176 calls in all; about 27.2s and $0.000079 (us-east-1 prices of 2026-11)");
    assert.match(lines[20], /^estimate assumes 100ms a call \(round trip and billed\) and 2s a configuration update \(each forced cold start; 9 memory updates/);
  });

  it("a bad study file: every error, file:line:col, exit 1", async () => {
    const dir = folder({ "s.yaml": "experiments:\n  - name: a\n    benchmarks: [aess]\n    workloads: [closed: {n: 1}]\n    repeat: -1\n" });
    const r = await cli(["run", path.join(dir, "s.yaml"), "--plan", ...MANIFEST_ARGS]);
    assert.equal(r.code, 1);
    assert.equal(r.err, [
      `${dir}/s.yaml:3:18: benchmark "aess" is not in ${MANIFEST_ARGS[1]} (did you mean "aes"?)`,
      `${dir}/s.yaml:5:13: repeat must be at least 1; got -1`,
      "2 errors", "",
    ].join("\n"));
  });

  it("--only picks experiments and names a wrong one, with or without --plan", async () => {
    const r = await cli(["run", EXAMPLE, "--plan", "--only", "memory-dem", ...MANIFEST_ARGS]);
    assert.equal(r.code, 2);
    assert.equal(r.err, `lambda-bench: --only memory-dem: ${EXAMPLE} has no experiment "memory-dem" (did you mean "memory-demo"?); it has memory-demo\n`);
    const run = await cli(["run", EXAMPLE, "--only", "memory-dem", ...MANIFEST_ARGS]);
    assert.equal(run.code, 2);
    assert.match(run.err, /^lambda-bench: --only memory-dem: /);
  });

  it("with a study.json in --out: what a resume does, and a refusal naming the changed cells unless --fresh", async () => {
    const dir = folder();
    const text = "experiments:\n  - name: r\n    benchmarks: [hello]\n    workloads: [closed: {n: 2}]\n    repeat: 2\n";
    const study = studyOf(text, dir);
    const out = path.join(dir, "runs");
    writeState(out, markDone(stateOf(study, planStudy(study)), "r/hello/default/closed_n2", 1));
    fs.mkdirSync(path.join(out, "r/hello/default/closed_n2"), { recursive: true });
    fs.writeFileSync(path.join(out, "r/hello/default/closed_n2/rep-1.jsonl"), "{}\n");
    const file = path.join(dir, "study.yaml");
    const r = await cli(["run", file, "--plan", "--out", out, ...MANIFEST_ARGS]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\n1  r\/hello\/default\/closed_n2\/rep-1\.jsonl\s+2\s+skip\n2  r\/hello\/default\/closed_n2\/rep-2\.jsonl\s+2\s+run\n/);
    assert.match(r.out, /\nresume: 1 complete \(skipped\), 0 cut short or missing \(rerun whole\), 1 to run\n/);
    fs.writeFileSync(file, text.replace("{n: 2}", "{n: 2, warmup: 1}"));
    // warmup changes the workload's folder (a new cell), so the done cell is gone from the file.
    const changed = await cli(["run", file, "--plan", "--out", out, ...MANIFEST_ARGS]);
    assert.equal(changed.code, 1);
    assert.match(changed.err, /^lambda-bench: .*study\.yaml changed since .*study\.json was written, so it cannot resume: r\/hello\/default\/closed_n2: no longer in the file \(1 repetition done\); restore the file, or pass --fresh to start again\n$/);
    const fresh = await cli(["run", file, "--plan", "--fresh", "--out", out, ...MANIFEST_ARGS]);
    assert.equal(fresh.code, 0, fresh.err);
    assert.doesNotMatch(fresh.out, /resume:/);
  });
});
