// `npm test` on a machine without moto_server (or chromium) stops before the first test with one
// line naming what is missing and how to install it; with them on PATH it runs as before.
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { missingTools } from "./servers/tools";
import { nodeOnlyEnv } from "./servers/node-only";

const ROOT = path.resolve(__dirname, "..", "..");
const MOCHA = path.join(ROOT, "node_modules", "mocha", "bin", "mocha.js");
const HOOK = path.join(ROOT, "dist", "test", "servers", "require-tools.js");

function mocha(env: NodeJS.ProcessEnv, spec: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [MOCHA, "--no-config", "--require", HOOK, spec], { env, cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    c.stdout!.on("data", (d) => { out += d; });
    c.stderr!.on("data", (d) => { err += d; });
    c.on("close", (code) => resolve({ code, out, err }));
  });
}

describe("npm test's tool check", function () {
  this.timeout(30_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lambda-bench-tools-"));
  const spec = path.join(dir, "one.test.js");
  before(() => fs.writeFileSync(spec, `it("ran", () => { require("fs").writeFileSync(${JSON.stringify(path.join(dir, "ran"))}, "1"); });\n`));

  it("without moto_server: one line naming it and pip install \"moto[server]\", exit 1, no test run", async () => {
    const r = await mocha(nodeOnlyEnv(), spec);
    assert.equal(r.code, 1);
    assert.equal(r.err, `npm test needs moto_server (pip install "moto[server]"): it is not found; install it and run npm test again\n`);
    assert.equal(r.out, "");
    assert.ok(!fs.existsSync(path.join(dir, "ran")), "no test ran");
  });

  it("without chromium too: both named, each with its install", () => {
    assert.equal(missingTools({ PATH: dir, CHROMIUM_PATH: path.join(dir, "no-chromium") }),
      `npm test needs moto_server (pip install "moto[server]") and chromium (apt-get install chromium, or set CHROMIUM_PATH): ` +
      "they are not found; install them and run npm test again");
  });

  it("with both there (this machine), nothing is printed and the tests run", async () => {
    assert.equal(missingTools(process.env), undefined);
    const r = await mocha({ ...process.env }, spec);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, "");
    assert.ok(fs.existsSync(path.join(dir, "ran")));
  });
});
