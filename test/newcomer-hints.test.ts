// The small hints a newcomer needs: a manifest name one letter off gets the near one, a payload
// path without its `@` is named as a file, and `measure --help` names --interleave's real files.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { cli } from "./run-cli";
import { workspace } from "./fixtures";
import { sideFile } from "../src/measure/interleave";

describe("newcomer hints", () => {
  it("validate benchmark.yaml, beside a benchmarks.yaml: did you mean, in the folder it was looked for", async () => {
    const dir = workspace();
    fs.writeFileSync(path.join(dir, "benchmarks.yaml"), "benchmarks: []\n");
    const r = await cli(["validate", path.join(dir, "benchmark.yaml")]);
    assert.equal(r.code, 1);
    assert.equal(r.out + r.err, `${path.join(dir, "benchmark.yaml")}:1:1: cannot read the manifest: no such file (did you mean "${path.join(dir, "benchmarks.yaml")}"?)\n1 error\n`);
    const far = await cli(["validate", path.join(dir, "nothing-like-it.yaml")]);
    assert.doesNotMatch(far.out + far.err, /did you mean/);
  });

  it("--payload naming a file without @: the file is named, with the fix", async () => {
    const dir = workspace();
    const event = path.join(dir, "event.json");
    fs.writeFileSync(event, '{"n": 1}');
    const r = await cli(["invoke", "hello", "--payload", event, "--endpoint", "http://127.0.0.1:9"]);
    assert.equal(r.code, 2);
    assert.equal(r.err, `lambda-bench: --payload ${event} is not JSON, but a file of that name exists: pass @${event} to send its contents\n`);
    const notAFile = await cli(["invoke", "hello", "--payload", "{nope", "--endpoint", "http://127.0.0.1:9"]);
    assert.match(notAFile.err, /^lambda-bench: --payload is not JSON \(.*\); pass a JSON document or @file\.json\n$/);
  });

  it("measure --help names the files --interleave writes, as sideFile names them", async () => {
    const r = await cli(["measure", "--help"]);
    const help = r.out.replace(/\s+/g, " ");
    assert.match(help, /<out>-1024mb\.jsonl and <out>-2048mb\.jsonl for --interleave 1024,2048, <out>-<function>\.jsonl for two functions/);
    assert.doesNotMatch(help, /<out>-A\.jsonl/);
    assert.equal(sideFile("<out>.jsonl", 1024), "<out>-1024mb.jsonl");
    assert.equal(sideFile("<out>.jsonl", "<function>"), "<out>-<function>.jsonl");
  });
});
