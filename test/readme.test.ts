// Every README example a newcomer can run without AWS, Docker or the Pulumi CLI, run as written,
// in order, in a temp copy of the repository (a fresh clone: its tracked files, with this
// node_modules and the built CLI standing for `npm ci`), against the stand-in this test starts in
// place of `npm run try-server`. The convention is in test/readme-blocks.ts and the README's
// Development section.
import { strict as assert } from "node:assert";
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readmeExamples, SKIP_MARKER, type Example } from "./readme-blocks";
import { startStandin, type Standin } from "../src/standin/standin";

const ROOT = path.resolve(__dirname, "..", "..");
/** The endpoint README examples name; the test's stand-in is on a free port instead. */
const README_ENDPOINT = "http://127.0.0.1:9001";

/** The repository's tracked files (its working copies) in a temp folder, as a clone would have them. */
function cloneLike(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lambda-bench-readme-"));
  let files: string[];
  try {
    files = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
  } catch {
    files = fs.readdirSync(ROOT, { recursive: true, encoding: "utf8" })
      .filter((f) => !/^(node_modules|dist|\.git)(\/|$)/.test(f) && fs.statSync(path.join(ROOT, f)).isFile());
  }
  for (const f of files) {
    const from = path.join(ROOT, f);
    if (!fs.existsSync(from) || fs.lstatSync(from).isSymbolicLink()) continue;
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, f));
  }
  // What `npm ci` makes: node_modules and, through the prepare script, the compiled CLI.
  fs.symlinkSync(fs.realpathSync(path.join(ROOT, "node_modules")), path.join(dir, "node_modules"));
  for (const d of fs.readdirSync(path.join(ROOT, "dist"))) {
    if (d !== "test" && !d.endsWith(".png")) fs.cpSync(path.join(ROOT, "dist", d), path.join(dir, "dist", d), { recursive: true });
  }
  return dir;
}

/** Runs a script with bash in `cwd`; never blocks this process (the stand-in answers from it). */
function bash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", script], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c) => { out += c; });
    child.stderr.on("data", (c) => { out += c; });
    const timer = setTimeout(() => child.kill("SIGKILL"), 150_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/**
 * What every example runs after: `npx lambda-bench` is the copy's CLI (no registry look-up); `npm ci`
 * and `npm run try-server` are done already (by the copy and by this test).
 */
const PRELUDE = `set -eo pipefail
npx() { if [ "$1" = lambda-bench ]; then shift; node "$README_COPY/bin/lambda-bench.js" "$@"; else command npx "$@"; fi; }
npm() { case "$1 \${2:-}" in "ci "*|"run try-server") echo "(npm $*: done by the README test)";; *) command npm "$@";; esac; }
`;

describe("README examples", function () {
  this.timeout(300_000);
  let standin: Standin;
  let copy: string;
  before(async () => {
    copy = cloneLike();
    standin = await startStandin();
  });
  after(async () => {
    await standin?.stop();
    if (copy) fs.rmSync(copy, { recursive: true, force: true });
  });

  it("finds the examples, honours the skip marker, and reads expected exit codes (also from `$ echo $?`)", () => {
    const text = ["```sh", "echo a", "```", SKIP_MARKER, "```sh", "pulumi up", "```", "```",
      "$ npx lambda-bench validate examples/bad.yaml", "x:1:1: bad", "1 error", "```", "```yaml", "a: 1", "```",
      "```", "$ npx lambda-bench invoke ae", "lambda-bench: function ae not found", "```", "```", "$ npx lambda-bench plan --bogus", "error: unknown option", "```",
      "```", "$ npx lambda-bench compare a b --fail-if-slower 5%", "no difference shown", "$ echo $?", "0",
      "$ npx lambda-bench compare b a --fail-if-slower 5%", "lambda-bench: slower", "$ echo $?", "1", "```"].join("\n");
    assert.deepEqual(readmeExamples(text), [
      { line: 1, kind: "sh", script: "echo a", expectCode: 0 },
      { line: 8, kind: "command", script: "npx lambda-bench validate examples/bad.yaml", expectCode: 1 },
      { line: 16, kind: "command", script: "npx lambda-bench invoke ae", expectCode: 1 },
      { line: 20, kind: "command", script: "npx lambda-bench plan --bogus", expectCode: 2 },
      { line: 24, kind: "command", script: "npx lambda-bench compare a b --fail-if-slower 5%", expectCode: 0 },
      { line: 24, kind: "command", script: "npx lambda-bench compare b a --fail-if-slower 5%", expectCode: 1 },
    ]);
  });

  it("every example without AWS, Docker or Pulumi works as written, in order, from a fresh clone", async () => {
    const examples = readmeExamples(fs.readFileSync(path.join(ROOT, "README.md"), "utf8"));
    // The first-run path must be among them.
    assert.ok(examples.some((e) => /npx lambda-bench demo/.test(e.script)), "the Quick start's demo");
    assert.ok(examples.some((e) => /npm run try-server/.test(e.script)), "the stand-in's block");
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_"))),
      PATH: `${path.join(ROOT, "node_modules", ".bin")}${path.delimiter}${process.env.PATH}`,
      HOME: fs.mkdtempSync(path.join(os.tmpdir(), "lambda-bench-home-")),
      README_COPY: copy,
    };
    for (const e of examples) {
      const script = e.script.split(README_ENDPOINT).join(standin.endpoint);
      const r = await bash(PRELUDE + script, copy, env);
      assert.equal(r.code, e.expectCode, `README.md:${e.line}: ${what(e)} exited with ${r.code}:\n${r.out.slice(-2000)}`);
    }
  });
});

const what = (e: Example) => (e.kind === "sh" ? `the sh block` : `\`${e.script}\``);
