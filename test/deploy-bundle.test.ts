// The driver's bundle (src/generator/bundle.ts): one CommonJS file that Lambda's Node 22 loads as
// index.js and whose `handler` is the driver's entry; the same sources give the same bytes.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildDriverBundle, driverBundle, driverEntry } from "../src/generator/bundle";
import { DRIVER_BUCKET_ENV } from "../src/generator/lambda-handler";
import { PACKAGE_ROOT } from "../src/package-info";

/** Loads a bundle as Lambda does: a file of its own, required by path, outside this checkout. */
function load(code: string): Record<string, unknown> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lambda-bench-bundle-"));
  const file = path.join(dir, "index.js");
  fs.writeFileSync(file, code);
  return require(file);
}

describe("generator: the driver's bundle", function () {
  this.timeout(30_000);
  const tsEntry = path.join(PACKAGE_ROOT, "src", "generator", "lambda-handler.ts");

  it("takes the compiled handler beside it in dist, and the TypeScript source under src (ts-node)", () => {
    assert.equal(driverEntry(__dirname.replace(`${path.sep}test`, `${path.sep}src${path.sep}generator`)), path.join(PACKAGE_ROOT, "dist", "src", "generator", "lambda-handler.js"));
    assert.equal(driverEntry(path.dirname(tsEntry)), tsEntry);
  });

  it("is deterministic: the same bytes twice, and from another working directory", () => {
    const a = buildDriverBundle(tsEntry);
    const cwd = process.cwd();
    process.chdir(os.tmpdir());
    try {
      assert.equal(buildDriverBundle(tsEntry), a);
    } finally {
      process.chdir(cwd);
    }
    assert.equal(driverBundle(), driverBundle(), "cached per process");
    // Every path the bundle names is inside the package (node_modules/..., src/...), whatever
    // node_modules links to and wherever the checkout is.
    const paths = [...a.matchAll(/^\/\/ (\S+\.[cm]?[jt]s)$/gm)].map((m) => m[1]);
    assert.ok(paths.length > 0);
    assert.deepEqual(paths.filter((p) => p.startsWith("..") || path.isAbsolute(p)), []);
  });

  it("loads alone and exports the handler, from the source and from dist", async () => {
    for (const code of [buildDriverBundle(tsEntry), driverBundle()]) {
      const mod = load(code);
      assert.equal(typeof mod.handler, "function");
      assert.equal(mod.DRIVER_BUCKET_ENV, DRIVER_BUCKET_ENV);
      assert.doesNotMatch(code, /require\("\.{1,2}\//, "nothing is left to a relative require: the zip holds index.js only");
    }
  });
});
