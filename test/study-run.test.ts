// `lambda-bench run` end to end against the stand-in (issue 29): a 2-benchmark x 2-memory x
// 2-workload x 2-repeat study started through the real npx and stopped with SIGINT part way, then
// started directly and killed with SIGKILL part way, then run to the end. The stand-in's count of
// calls served is the truth: every call it served is in a kept file or in a cut-short file that the
// next run discarded (SIGKILL: up to the calls in flight are lost with the process), no complete
// run is run twice, and each memory size is back at its original after each interruption (after
// SIGKILL, by the next run, which says so).
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { ORIGINALS_FILE } from "../src/study/originals";
import { workspace } from "./fixtures";
import { withStandin } from "./servers/standin-hooks";

const ROOT = path.resolve(__dirname, "..", "..");
const ENV = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_"))),
  PATH: `${path.join(ROOT, "node_modules", ".bin")}${path.delimiter}${process.env.PATH}`,
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const STUDY = `experiments:
  - name: e2e
    benchmarks: [hello, aes]
    memory: [256, 512]
    workloads:
      - closed: { n: 12, c: 4 }
      - open: { rate: 100, n: 12 }
    repeat: 2
`;
const PER_RUN = 12;
const RUNS = 16;

describe("run: a study stopped with SIGINT, killed with SIGKILL, resumed to the end", function () {
  this.timeout(180_000);
  const h = withStandin({ control: true });

  const memoryOf = async (f: string) => (await h.control.send(new GetFunctionConfigurationCommand({ FunctionName: f }))).MemorySize;

  function start(launcher: string[], study: string, outDir: string) {
    const args = [...launcher, "run", study, "--out", outDir, "--manifest", path.join(ROOT, "benchmarks.yaml"), "--endpoint", h.standin.endpoint, "--region", "us-east-1"];
    const child = spawn(args[0], args.slice(1), { cwd: ROOT, env: ENV, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout!.on("data", (c) => { out += c; });
    child.stderr!.on("data", (c) => { err += c; });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((resolve) => {
      let exit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };
      child.on("exit", (code, signal) => { exit = { code, signal }; });
      child.on("close", () => resolve({ ...exit, out, err }));
    });
    return { child, exited };
  }

  async function servedAtLeast(n: number) {
    const t0 = Date.now();
    while (h.standin.served() < n) {
      if (Date.now() - t0 > 60_000) throw new Error(`only ${h.standin.served()} calls served in 60 s`);
      await sleep(5);
    }
  }

  /** Lines of every rep file under `out`: those study.json lists as done, and the others (cut short). */
  function lines(out: string) {
    const state = JSON.parse(fs.readFileSync(path.join(out, "study.json"), "utf8")) as { cells: { id: string; done: number[] }[] };
    const done = new Set(state.cells.flatMap((c) => c.done.map((r) => `${c.id}/rep-${r}.jsonl`)));
    let kept = 0;
    let partial = 0;
    let doneRuns = 0;
    const walk = (d: string, rel: string) => {
      for (const f of fs.readdirSync(d)) {
        const p = path.join(d, f);
        if (fs.statSync(p).isDirectory()) walk(p, rel ? `${rel}/${f}` : f);
        else if (/^rep-\d+\.jsonl$/.test(f)) {
          const n = fs.readFileSync(p, "utf8").split("\n").filter(Boolean).length;
          if (done.has(`${rel}/${f}`)) {
            kept += n;
            doneRuns++;
            assert.equal(n, PER_RUN, `${rel}/${f}: a complete run has all its calls`);
          } else partial += n;
        }
      }
    };
    walk(out, "");
    return { kept, partial, doneRuns };
  }

  it("every served call is kept or discarded with its cut-short run; memory back at 128 and 1024 MB after each stop", async () => {
    const dir = workspace();
    const study = path.join(dir, "study.yaml");
    fs.writeFileSync(study, STUDY);
    const out = path.join(dir, "runs");
    const base = h.standin.served();

    // 1. SIGINT through npx, part way through the third run.
    const first = start(["npx", "lambda-bench"], study, out);
    await servedAtLeast(base + 2 * PER_RUN + 5);
    first.child.kill("SIGINT");
    const r1 = await first.exited;
    assert.equal(r1.code, 130, r1.err);
    assert.match(r1.err, /interrupted: \d+ runs done, \d+ left .*memory put back; run the same command again to resume/);
    await sleep(300);
    const afterInt = h.standin.served() - base;
    const l1 = lines(out);
    assert.equal(l1.kept + l1.partial, afterInt, "SIGINT: every call served is in a file (in-flight calls finish and are recorded)");
    assert.ok(l1.doneRuns >= 2 && l1.doneRuns < RUNS, `${l1.doneRuns} runs done`);
    assert.equal(await memoryOf("hello"), 128);
    assert.equal(await memoryOf("aes"), 1024);
    assert.ok(!fs.existsSync(path.join(out, ORIGINALS_FILE)), "the originals record goes once memory is back");

    // 2. SIGKILL to the CLI itself (no npx: nothing can put memory back), part way through a later run.
    const mid = h.standin.served();
    const second = start(["node", path.join(ROOT, "bin", "lambda-bench.js")], study, out);
    await servedAtLeast(mid + 3 * PER_RUN + 5);
    second.child.kill("SIGKILL");
    await second.exited;
    await sleep(300);
    const afterKill = h.standin.served() - base;
    const l2 = lines(out);
    assert.ok(l2.doneRuns > l1.doneRuns, "the resume went on from where the first run stopped");
    // Calls in flight when the process died were served but never written: at most one run's calls
    // (the closed loop keeps 4 in flight; the open one at 100/s has all 12 of aes's out at once at 256 MB).
    const lost = afterKill - (l2.kept + l2.partial + l1.partial);
    assert.ok(lost >= 0 && lost <= PER_RUN, `${lost} calls lost with the killed process`);
    assert.ok(fs.existsSync(path.join(out, ORIGINALS_FILE)), "a killed run leaves its originals record");
    const leftAt = [await memoryOf("hello"), await memoryOf("aes")];
    assert.ok(leftAt[0] !== 128 || leftAt[1] !== 1024, `SIGKILL left a size changed (${leftAt.join(", ")})`);

    // 3. The rerun puts memory back first, then completes the study.
    const third = start(["npx", "lambda-bench"], study, out);
    const r3 = await third.exited;
    assert.equal(r3.code, 0, r3.err);
    assert.match(r3.out, /left so by a run of this study that was killed before it could put it back: putting it back to (128|1024) MB first/);
    assert.match(r3.out, /resume: \d+ complete \(skipped\), [1-9]\d* cut short or missing \(rerun whole\)/);
    assert.match(r3.out, /== study: .*e2e \(8 cells\)/);
    const l3 = lines(out);
    assert.equal(l3.doneRuns, RUNS);
    assert.equal(l3.partial, 0);
    assert.equal(l3.kept, RUNS * PER_RUN);
    // No complete run was run twice: all served = the kept calls + those of discarded cut-short runs + the lost.
    assert.equal(h.standin.served() - base, l3.kept + l1.partial + l2.partial + lost);
    assert.equal(await memoryOf("hello"), 128);
    assert.equal(await memoryOf("aes"), 1024);
    assert.ok(!fs.existsSync(path.join(out, ORIGINALS_FILE)));
    assert.ok(fs.existsSync(path.join(out, "e2e", "report.html")));
  });
});
