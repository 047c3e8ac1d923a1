// The driver's bundle (issue 28): esbuild makes one CommonJS file of src/generator/lambda-handler.ts
// and everything it imports; Lambda's Node 22 runs it with no node_modules. Built here into a
// fresh temporary folder (no node_modules above it) and loaded by a separate Node process, which
// calls the handler: it must answer with the driver's own one-line refusals, so zod, the SDK and
// the driver's code all loaded from the bundle alone.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

describe("the driver's bundle (esbuild)", function () {
  this.timeout(120_000);
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "lambda-bench-driver-bundle-")); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("builds with no warning, and runs in a bare Node 22: it exports handler, which refuses a bad event in one line", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require("esbuild") as typeof import("esbuild");
    const outfile = path.join(dir, "index.js");
    const result = esbuild.buildSync({
      entryPoints: [path.join(ROOT, "src/generator/lambda-handler.ts")], bundle: true, platform: "node", format: "cjs", target: "node22",
      outfile, logLevel: "silent",
    });
    assert.deepEqual(result.warnings.map((w) => w.text), []);
    assert.ok(!fs.existsSync(path.join(dir, "node_modules")));
    const script = `
      const { handler } = require(${JSON.stringify(outfile)});
      const ctx = { getRemainingTimeInMillis: () => 60000 };
      (async () => {
        const out = [typeof handler];
        for (const env of [{}, { LAMBDA_BENCH_BUCKET: "b", AWS_REGION: "us-east-1", AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "1769" }]) {
          Object.assign(process.env, env);
          try { await handler({ runId: "r" }, ctx); out.push("ran"); } catch (e) { out.push(e.message); }
        }
        console.log(JSON.stringify(out));
      })();`;
    const env = { PATH: process.env.PATH ?? "", HOME: dir };
    const out = execFileSync(process.execPath, ["-e", script], { cwd: dir, env, encoding: "utf8" });
    const [kind, noBucket, badEvent] = JSON.parse(out) as string[];
    assert.equal(kind, "function");
    assert.equal(noBucket, "LAMBDA_BENCH_BUCKET is not set: the driver writes only to its stack's bucket");
    assert.match(badEvent, /^the event is not a Map item: shard: /);
  });
});
