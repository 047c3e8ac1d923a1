// Resume: which runs of a study are complete (skipped), cut short (discarded and rerun whole) or
// new, and which edits of the file refuse a resume; on temp folders, with study.json written as
// the run lifecycle will write it.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { planStudy } from "../src/study/plan";
import {
  discardPartial, existsUnder, markDone, readState, resumeOf, stateOf, studyHash, writeState, type StudyState,
} from "../src/study/state";
import { yaml } from "./fixtures";
import { folder, studyOf } from "./study-support";

const TEXT = yaml`
  experiments:
    - name: r
      benchmarks: [hello, aes]
      payload: '{"n": 1}'
      workloads: [closed: { n: 3 }]
      repeat: 2
      order: sequential
`;

/** The study in `dir`, its plan, and an --out folder. */
function setup(text = TEXT, dir = folder()) {
  const study = studyOf(text, dir);
  return { dir, study, plan: planStudy(study), out: path.join(dir, "runs") };
}

const touch = (out: string, file: string) => {
  fs.mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
  fs.writeFileSync(path.join(out, file), "{}\n");
};

const actions = (r: ReturnType<typeof resumeOf>) => r.steps.map((s) => `${s.step.file} ${s.action}`);

describe("study state: resume decisions", () => {
  it("a fresh study runs everything", () => {
    const { study, plan, out } = setup();
    const r = resumeOf(undefined, study, plan, existsUnder(out));
    assert.deepEqual(r.conflicts, []);
    assert.deepEqual(r.steps.map((s) => s.action), ["run", "run", "run", "run"]);
  });

  it("complete runs are skipped; a file not marked done was cut short (rerun); done but missing is rerun", () => {
    const { study, plan, out } = setup();
    let state = stateOf(study, plan);
    touch(out, "r/hello/default/closed_n3/rep-1.jsonl");
    state = markDone(state, "r/hello/default/closed_n3", 1);
    touch(out, "r/hello/default/closed_n3/rep-2.jsonl"); // killed while writing rep 2: not marked done
    state = markDone(state, "r/aes/default/closed_n3", 1); // marked, but its file is gone
    writeState(out, state);
    const r = resumeOf(readState(out), study, plan, existsUnder(out));
    assert.deepEqual(r.conflicts, []);
    assert.deepEqual(actions(r), [
      "r/hello/default/closed_n3/rep-1.jsonl skip",
      "r/hello/default/closed_n3/rep-2.jsonl rerun",
      "r/aes/default/closed_n3/rep-1.jsonl rerun",
      "r/aes/default/closed_n3/rep-2.jsonl run",
    ]);
    // A partial run is discarded whole, with its provenance.
    touch(out, "r/hello/default/closed_n3/rep-2.jsonl.meta.json");
    discardPartial(out, r.steps[1].step);
    assert.deepEqual(fs.readdirSync(path.join(out, "r/hello/default/closed_n3")), ["rep-1.jsonl"]);
  });

  it("study.json names the study's hash, each cell's hash and completion; written atomically", () => {
    const { study, plan, out } = setup();
    let state = stateOf(study, plan);
    for (const rep of [1, 2]) state = markDone(state, "r/aes/default/closed_n3", rep);
    writeState(out, state);
    assert.deepEqual(fs.readdirSync(out), ["study.json"]); // no temporary file left
    const back = readState(out)!;
    assert.equal(back.studyHash, studyHash(study));
    assert.match(back.studyHash, /^[0-9a-f]{64}$/);
    assert.deepEqual(back.cells.map((c) => [c.id, c.repeat, c.done, c.complete]), [
      ["r/hello/default/closed_n3", 2, [], false],
      ["r/aes/default/closed_n3", 2, [1, 2], true],
    ]);
    assert.notEqual(back.cells[0].hash, back.cells[1].hash);
    assert.equal(readState(path.join(out, "none")), undefined);
  });

  it("comments, whitespace, key order and written defaults do not change the hashes", () => {
    const a = setup();
    const b = setup(yaml`
      # the same study, written differently
      experiments:
        - order: sequential
          repeat: 2
          name: r
          workloads:
            - closed: { n: 3, c: 1, cold: 0, warmup: 0 }   # c, cold and warmup at their defaults
          payload: '{"n": 1}'
          benchmarks: [ hello,   aes ]
    `);
    assert.equal(studyHash(a.study), studyHash(b.study));
    assert.deepEqual(stateOf(a.study, a.plan).cells.map((c) => c.hash), stateOf(b.study, b.plan).cells.map((c) => c.hash));
  });

  it("a changed file refuses to resume and names the changed cells", () => {
    const { dir, study, plan, out } = setup();
    let state = stateOf(study, plan);
    touch(out, "r/hello/default/closed_n3/rep-1.jsonl");
    state = markDone(state, "r/hello/default/closed_n3", 1);
    // Another payload: every cell's identity changes; only hello has data to protect.
    const changed = setup(TEXT.replace('{"n": 1}', '{"n": 2}'), dir);
    const r = resumeOf(state, changed.study, changed.plan, existsUnder(out));
    assert.deepEqual(r.conflicts, ["r/hello/default/closed_n3: its definition changed (payload, workload parameters, warm-up or generator)"]);
    // Its done repetition is not counted as complete under the new definition.
    assert.equal(r.steps[0].action, "rerun");
    // A benchmark taken out with data done; a repeat lowered below a done repetition.
    state = markDone(state, "r/hello/default/closed_n3", 2);
    touch(out, "r/hello/default/closed_n3/rep-2.jsonl");
    const fewer = setup(TEXT.replace("[hello, aes]", "[aes]"), dir);
    assert.deepEqual(resumeOf(state, fewer.study, fewer.plan, existsUnder(out)).conflicts, ["r/hello/default/closed_n3: no longer in the file (2 repetitions done)"]);
    const shorter = setup(TEXT.replace("repeat: 2", "repeat: 1"), dir);
    assert.deepEqual(resumeOf(state, shorter.study, shorter.plan, existsUnder(out)).conflicts, ["r/hello/default/closed_n3: repetition 2 done, past repeat 1"]);
  });

  it("growing the study resumes: more repetitions, another order, a new benchmark", () => {
    const { dir, study, plan, out } = setup();
    let state: StudyState = stateOf(study, plan);
    for (const rep of [1, 2]) {
      touch(out, `r/hello/default/closed_n3/rep-${rep}.jsonl`);
      state = markDone(state, "r/hello/default/closed_n3", rep);
    }
    const grown = setup(TEXT.replace("repeat: 2", "repeat: 3").replace("order: sequential", "order: interleaved").replace("[hello, aes]", "[hello, aes, hello-x86]"), dir);
    const r = resumeOf(state, grown.study, grown.plan, existsUnder(out));
    assert.deepEqual(r.conflicts, []);
    assert.deepEqual(r.steps.filter((s) => s.action === "skip").map((s) => s.step.file), [
      "r/hello/default/closed_n3/rep-1.jsonl", "r/hello/default/closed_n3/rep-2.jsonl",
    ]);
    assert.equal(r.steps.length, 9);
    // The new state keeps what was done and says what is left.
    const next = stateOf(grown.study, grown.plan, state);
    assert.deepEqual(next.cells.map((c) => [c.id, c.done, c.complete]), [
      ["r/hello/default/closed_n3", [1, 2], false], ["r/aes/default/closed_n3", [], false], ["r/hello-x86/default/closed_n3", [], false],
    ]);
    assert.notEqual(next.studyHash, state.studyHash);
  });
});
