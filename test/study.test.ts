// The study file (issue 29) is checked as the manifest is: each test asserts the exact line,
// column and text of every error, all at once.
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { FileInvalid } from "../src/manifest/yaml-file";
import { loadStudy, StudyInvalid } from "../src/study/load";
import { yaml } from "./fixtures";
import { folder, MANIFEST, ROOT, studyErrors, studyOf } from "./study-support";

/** One experiment; `extra` lines (indented 4) are added to it, `workload` is its only workload. */
const one = (extra = "", workload = "closed: { n: 10 }") =>
  `experiments:\n  - name: e1\n    benchmarks: [aes]\n    workloads:\n      - ${workload}\n${extra}\n`;

describe("study file: structure", () => {
  it("the example validates against the repo's manifest, with the documented defaults", () => {
    const s = loadStudy(path.join(ROOT, "examples", "experiment.yaml"), MANIFEST);
    assert.deepEqual(s.experiments.map((e) => [e.name, e.benchmarks.map((b) => b.function), e.memory, e.repeat, e.order]),
      [["memory-demo", ["hello", "aes"], [128, 256], 2, "interleaved"]]);
    const [e] = studyOf(one()).experiments;
    assert.equal(e.repeat, 1);
    assert.equal(e.order, "interleaved");
    assert.equal(e.memory, undefined);
    assert.equal(e.payload.source, "{}");
    assert.deepEqual(e.workloads[0].spec, { shape: "closed", n: 10, c: 1, cold: 0 });
    assert.equal(e.workloads[0].slug, "closed_n10");
  });

  it("a wrong key, at its line:col, with did-you-mean, at every level", () => {
    assert.deepEqual(studyErrors(yaml`
      experiment:
        - name: e1
    `), [
      "1:1: experiments must be a list of experiments; got nothing",
      "1:1: unknown key \"experiment\" (did you mean \"experiments\"?); allowed here: experiments",
    ]);
    assert.deepEqual(studyErrors(yaml`
      experiments:
        - name: e1
          benchmarks: [aes]
          repaet: 3
          workloads:
            - closd: { n: 10 }
            - open: { rate: 5, durtion: 10s }
    `), [
      "4:5: unknown key \"repaet\" (did you mean \"repeat\"?); allowed here: name, benchmarks, memory, payload, workloads, repeat, order, generator",
      "6:9: a workload is exactly one of closed, open, ramp, burst, trace; got none",
      "6:9: unknown key \"closd\" (did you mean \"closed\"?); allowed here: closed, open, ramp, burst, trace",
      "7:26: unknown key \"durtion\" (did you mean \"duration\"?); allowed here: rate, duration, n, arrivals, seed, warmup, maxInFlight",
    ]);
  });

  it("a benchmark not in the manifest, with did-you-mean, and one listed twice", () => {
    assert.deepEqual(studyErrors(yaml`
      experiments:
        - name: e1
          benchmarks: [aes, helo, aes, zzzzzzzz]
          workloads: [closed: {}]
    `), [
      `3:23: benchmark "helo" is not in ${MANIFEST.file} (did you mean "hello"?)`,
      "3:29: benchmark \"aes\" is listed twice (also item 1)",
      `3:34: benchmark "zzzzzzzz" is not in ${MANIFEST.file}`,
    ]);
  });

  it("a bad duration: no unit, a word, a number", () => {
    assert.deepEqual(studyErrors(one("", "open: { rate: 5, duration: 10 }")), [
      "5:36: duration must be a number with a unit like 500ms, 30s, 1m or 2h; got 10",
    ]);
    assert.deepEqual(studyErrors(one("", "open: { rate: 5, duration: soon }")), [
      "5:36: duration: \"soon\" is not a duration: write a number with a unit, ms, s, m or h (500ms, 30s, 1m, 2h, 1m30s)",
    ]);
    assert.deepEqual(studyErrors(one("", "burst: { size: 3, every: 10 }")), ["5:34: every must be a duration or a list like 30s, 1s,10s or exp:30s; got 10"]);
    assert.deepEqual(studyErrors(one("", "burst: { size: 3, every: 'exp:x' }")), [
      "5:34: every: --every exp:MEAN must be a number with a unit (500ms, 30s, 1m, 2h); got \"x\"",
    ]);
    assert.deepEqual(studyErrors(one("", "ramp: { stages: '30s:10,fast:5' }")), [
      "5:25: stages: stage 2's duration must be a number with a unit (500ms, 30s, 1m, 2h); got \"fast\"",
    ]);
  });

  it("a negative, a zero and a fractional repeat", () => {
    assert.deepEqual(studyErrors(one("    repeat: -2")), ["6:13: repeat must be at least 1; got -2"]);
    assert.deepEqual(studyErrors(one("    repeat: 0")), ["6:13: repeat must be at least 1; got 0"]);
    assert.deepEqual(studyErrors(one("    repeat: 1.5")), ["6:13: repeat must be a whole number; got 1.5"]);
  });

  it("several errors at once, sorted by position, in two experiments", () => {
    assert.deepEqual(studyErrors(yaml`
      experiments:
        - name: e1
          benchmarks: [aess]
          memory: [64, 512, 512]
          workloads:
            - open: { rate: 5, duration: 10 }
          repeat: -1
          order: random
        - name: e1
          benchmarks: [hello]
          workloads: [closed: { n: 1, c: 2 }]
    `).map((e) => e.split(": ")[0]), ["3:18", "4:14", "4:23", "6:36", "7:13", "8:12", "9:11", "11:36"]);
  });
});

describe("study file: values and rules", () => {
  it("memory sizes in Lambda's range, each once", () => {
    assert.deepEqual(studyErrors(one("    memory: [128, 10241, 128, 1.5]")), [
      "6:19: memory must be at most 10240 MB; got 10241",
      "6:26: memory 128 is listed twice (also item 1)",
      "6:31: memory must be a whole number of MB; got 1.5",
    ]);
    assert.deepEqual(studyErrors(one("    memory: []")), ["6:13: memory must list at least one size, or be left out (the deployed size)"]);
    assert.deepEqual(studyOf(one("    memory: [128, 10240]")).experiments[0].memory, [128, 10240]);
  });

  it("payload: JSON, or @file relative to the study file's folder, which must exist and be JSON", () => {
    assert.deepEqual(studyErrors(one("    payload: '{\"n\": '")), [
      "6:14: payload is not JSON (Unexpected end of JSON input); pass a JSON document or @file.json",
    ]);
    assert.deepEqual(studyErrors(one("    payload: '@event.json'")), ["6:14: cannot read payload file event.json: no such file"]);
    const dir = folder({ "event.json": "{\"n\": 3}", "bad.json": "{n: 3}" });
    assert.equal(Buffer.from(studyOf(one("    payload: '@event.json'"), dir).experiments[0].payload.bytes).toString(), "{\"n\": 3}");
    assert.match(studyErrors(one("    payload: '@bad.json'"), dir)[0], /^6:14: payload @bad\.json is not JSON \(/);
    assert.deepEqual(studyErrors(one("    payload: {n: 3}")), ["6:14: payload must be a JSON string or @file; got a map"]);
  });

  it("the workload rules the CLI applies, in the file's words, at the key they are about", () => {
    assert.deepEqual(studyErrors(one("", "closed: { n: 5, c: 9 }")), [
      "5:28: closed: c 9 is more than n 5: no more than n invocations can be in flight; lower c or raise n",
    ]);
    assert.deepEqual(studyErrors(one("", "closed: { n: 5, cold: 6 }")), ["5:31: closed: cold 6 is more than n 5: cold starts count within n"]);
    assert.deepEqual(studyErrors(one("", "open: { rate: 5 }")), ["5:23: open: rate needs duration or n: how long, or how many calls"]);
    assert.deepEqual(studyErrors(one("", "open: { rate: 0, n: 3 }")), ["5:23: rate must be a number above 0; got 0"]);
    assert.deepEqual(studyErrors(one("", "closed: { c: 10001, n: 20000 }")), ["5:22: c must be at most 10000 calls in flight; got 10001"]);
    assert.deepEqual(studyErrors(one("", "open: { rate: 5, n: 3, cold: 1 }")), [
      "5:32: cold applies to the closed loop, not to this workload",
    ]);
    assert.deepEqual(studyErrors(one("", "{ closed: { n: 1 }, open: { rate: 1, n: 1 } }")), [
      "5:9: a workload is exactly one of closed, open, ramp, burst, trace; got closed and open",
    ]);
  });

  it("trace: the file relative to the study file, read and checked; one row picked at most", () => {
    const csv = "HashOwner,HashApp,HashFunction,Trigger,1,2\no,a,f1,http,3,4\no,a,f2,http,1,0\n";
    const dir = folder({ "day.csv": csv });
    const [w] = studyOf(one("", "trace: { file: day.csv, function: f2, speedup: 60 }"), dir).experiments[0].workloads;
    assert.equal(w.spec.shape === "trace" && w.spec.file, path.join(dir, "day.csv"));
    assert.equal(w.slug, "trace_day_fnf2_x60");
    assert.deepEqual(studyErrors(one("", "trace: { file: day.csv, function: f1, row: 2 }"), dir), [
      "5:52: trace: function and row both pick a row: give one",
    ]);
    assert.deepEqual(studyErrors(one("", "trace: { file: day.csv, function: f9 }"), dir), [
      `5:24: trace ${path.join(dir, "day.csv")}:4: --trace-function f9: no row has that HashFunction (file is relative to the study file's folder)`,
    ]);
    assert.deepEqual(studyErrors(one("", "trace: { file: none.csv }"), dir), [
      `5:24: trace ${path.join(dir, "none.csv")}: cannot read (ENOENT) (file is relative to the study file's folder)`,
    ]);
  });

  it("names unique and folder-safe; one folder per workload; order and generator checked", () => {
    assert.deepEqual(studyErrors(yaml`
      experiments:
        - name: ../up
          benchmarks: [aes]
          workloads: [closed: {}]
        - name: same
          benchmarks: [aes]
          workloads: [closed: {n: 100}, closed: {}]
          order: random
          generator: { shards: 0 }
        - name: same
          benchmarks: [aes]
          workloads: [closed: {}]
          generator: { shards: 10001, regions: 2 }
    `), [
      "2:11: name \"../up\" is not a folder name: use 1 to 64 letters, digits, '.', '_' or '-', not starting with '.'",
      "7:35: workload 2 is the same as workload 1 (closed_n100): each writes its own folder",
      "8:12: order must be interleaved or sequential; got \"random\"",
      "9:26: generator.shards must be at least 1; got 0",
      "10:11: experiment \"same\" is already defined at 5:11: names must be unique (each is a folder)",
      "13:26: generator.shards must be at most 10000; got 10001",
      "13:33: unknown key \"regions\"; allowed here: shards",
    ]);
    assert.deepEqual(studyOf(one("    generator: { shards: 4 }")).experiments[0].generator, { shards: 4 });
  });

  it("YAML syntax errors and an unreadable file are positioned errors; StudyInvalid is a FileInvalid", () => {
    assert.deepEqual(studyErrors("experiments:\n  - name: a\n    repeat: : 5\n"), ["3:13: YAML syntax: Nested mappings are not allowed in compact mappings"]);
    assert.throws(() => loadStudy(path.join(folder(), "missing.yaml"), MANIFEST), (err: unknown) =>
      err instanceof StudyInvalid && err instanceof FileInvalid && /missing\.yaml:1:1: cannot read the study file: /.test(err.message));
  });
});
