// Fuzzing the edges (issue 17) with fast-check: the CLI's argument parser (the option parsers one
// by one, then whole command lines through `run`), and the payload reader. The property is the
// same everywhere: an input is either taken, meeting its contract, or refused with a one-line
// UserError; nothing ends in an uncaught exception or a stack trace. No network: every command
// line is pointed at a loopback server that denies everything, so a run stops before any call.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as http from "node:http";
import type * as net from "node:net";
import * as path from "node:path";
import fc from "fast-check";
import { run } from "../src/cli/main";
import { UserError } from "../src/cli/errors";
import { durationMs, endpointUrl, functionName, MAX_CONCURRENCY, namePrefix, nonEmpty, positiveInt, regionName } from "../src/cli/options";
import { MAX_PAYLOAD_BYTES, readPayload } from "../src/cli/payload";
import { memorySizes } from "../src/cli/commands/sweep";
import { capLines, LineTooLongError } from "../src/runs/line-cap";
import { Readable } from "node:stream";
import { CRASH, tmp } from "./edges-support";

const SEED = 1717;

/** Runs `f`; returns its value, or undefined when it refused with a usage error. Anything else fails. */
function takenOrRefused<T>(f: () => T, name: string): T | undefined {
  try {
    return f();
  } catch (err) {
    assert.ok(err instanceof UserError, `${name} threw ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`);
    assert.equal(err.exitCode, 2);
    assert.ok(!err.message.includes("\n"), "one line");
    return undefined;
  }
}

/** Strings near what users type: numbers, signs, units, URLs, paths, plus anything at all. */
const typed = fc.oneof(
  fc.constantFrom("0", "1", "-1", "-0", "1e3", "0x10", "NaN", "Infinity", "", " ", "9007199254740993", "99999999999999999999",
    "1.5", "1.5s", "-1s", "30s", "2m", "1h", "2h", "500ms", "ms", "10000", "10001", "http://", "https://127.0.0.1:1", "ftp://x",
    "http://127.0.0.1:1", "us-east-1", "US-EAST-1", "us east", "128,256", "128,,256", "128,128", "@", "@/dev/zero", "@/tmp"),
  fc.string(),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.integer().map(String),
  fc.double().map(String),
);

describe("edges: fuzzing the argument parser and the payload reader", function () {
  this.timeout(60_000);

  it("option parsers: a value is taken within its contract, or refused with one line and exit 2", () => {
    fc.assert(fc.property(typed, (v) => {
      const n = takenOrRefused(() => positiveInt("-n")(v), "-n");
      if (n !== undefined) assert.ok(Number.isSafeInteger(n) && n >= 1);
      const c = takenOrRefused(() => positiveInt("-c", 1, MAX_CONCURRENCY)(v), "-c");
      if (c !== undefined) assert.ok(Number.isSafeInteger(c) && c >= 1 && c <= MAX_CONCURRENCY);
      const ms = takenOrRefused(() => durationMs("--client-timeout")(v), "--client-timeout");
      if (ms !== undefined) assert.ok(Number.isInteger(ms) && ms >= 1 && ms <= 3_600_000);
      const url = takenOrRefused(() => endpointUrl(v), "--endpoint");
      if (url !== undefined) assert.match(new URL(url).protocol, /^https?:$/);
      const region = takenOrRefused(() => regionName(v), "--region");
      if (region !== undefined) assert.match(region, /^[a-z0-9-]+$/);
      const file = takenOrRefused(() => nonEmpty("--manifest")(v), "--manifest");
      if (file !== undefined) assert.notEqual(file.trim(), "");
      const name = takenOrRefused(() => functionName("<benchmark>")(v), "<benchmark>");
      if (name !== undefined) assert.match(name, /^[A-Za-z0-9_.:$-]{1,170}$/);
      const prefix = takenOrRefused(() => namePrefix(v), "--name-prefix");
      if (prefix !== undefined) assert.match(prefix, /^[A-Za-z0-9_-]*$/);
      const sizes = takenOrRefused(() => memorySizes(v), "--memory");
      if (sizes !== undefined) for (const s of sizes) assert.ok(Number.isInteger(s) && s >= 128 && s <= 10240);
    }), { seed: SEED, numRuns: 500 });
  });

  it("the payload reader: inline text is JSON of at most 6 MB sent byte for byte, or a one-line refusal", () => {
    const inline = fc.oneof(fc.json(), fc.jsonValue().map((v) => JSON.stringify(v)), fc.string(), fc.string({ unit: "grapheme" }),
      fc.constantFrom("\ufeff{}", "{", "[1,", "nul", " 1 ", "\"\\ud800\""));
    fc.assert(fc.property(inline, (text) => {
      const bytes = takenOrRefused(() => readPayload(text), "--payload");
      if (bytes === undefined) return;
      assert.deepEqual(Buffer.from(bytes), Buffer.from(text, "utf8"));
      JSON.parse(Buffer.from(bytes).toString("utf8"));
    }), { seed: SEED, numRuns: 300 });
  });

  it("the payload reader: any bytes in a file are JSON sent as they are, or a one-line refusal", () => {
    const dir = tmp();
    let i = 0;
    const contents = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.jsonValue().map((v) => new Uint8Array(Buffer.from(JSON.stringify(v)))),
      fc.string({ unit: "binary" }).map((s) => new Uint8Array(Buffer.from(s, "utf8"))),
    );
    fc.assert(fc.property(contents, (data) => {
      const file = path.join(dir, `p${i++}.json`);
      fs.writeFileSync(file, data);
      const bytes = takenOrRefused(() => readPayload(`@${file}`), "--payload @file");
      if (bytes === undefined) return;
      assert.deepEqual(Buffer.from(bytes), Buffer.from(data));
      assert.ok(bytes.length <= MAX_PAYLOAD_BYTES);
    }), { seed: SEED, numRuns: 300 });
  });

  it("the payload reader: 6 MB exactly is taken, one byte more is refused (inline and from a file)", () => {
    const exact = `"${"a".repeat(MAX_PAYLOAD_BYTES - 2)}"`;
    assert.equal(readPayload(exact).length, MAX_PAYLOAD_BYTES);
    assert.throws(() => readPayload(`${exact} `), (e: UserError) => e.exitCode === 2 && /is 6291457 bytes; .*\(6291456 bytes\)/.test(e.message));
    const file = path.join(tmp(), "exact.json");
    fs.writeFileSync(file, exact);
    assert.equal(readPayload(`@${file}`).length, MAX_PAYLOAD_BYTES);
    fs.appendFileSync(file, " ");
    assert.throws(() => readPayload(`@${file}`), (e: UserError) => e.exitCode === 2 && e.message.includes("is 6291457 bytes"));
  });

  it("report's line cap: passes a stream through unchanged iff no line is longer than the cap, however it is chunked", async () => {
    const cap = 12;
    // Lengths around the cap (11, 12, 13) are where an off-by-one would hide.
    const oneLine = fc.oneof(fc.integer({ min: cap - 2, max: cap + 2 }).map((n) => "x".repeat(n)),
      fc.string({ unit: "binary-ascii", maxLength: 20 }).map((l) => l.replace(/\n/g, "")));
    const input = fc.tuple(fc.array(oneLine, { maxLength: 8 }),
      fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }));
    await fc.assert(fc.asyncProperty(input, async ([lines, cuts]) => {
      const text = Buffer.from(lines.join("\n"));
      const chunks: Buffer[] = [];
      for (let at = 0, i = 0; at < text.length; i++) {
        const size = cuts[i % cuts.length];
        chunks.push(text.subarray(at, at + size));
        at += size;
      }
      const firstLong = lines.findIndex((l) => Buffer.byteLength(l) > cap);
      let passed = Buffer.alloc(0);
      try {
        for await (const c of capLines(Readable.from(chunks), "run.jsonl", cap)) passed = Buffer.concat([passed, c as Buffer]);
        assert.equal(firstLong, -1, "a line past the cap went through");
        assert.deepEqual(passed, text);
      } catch (err) {
        assert.ok(err instanceof LineTooLongError, String(err));
        assert.match(err.message, new RegExp(`^run\\.jsonl:${firstLong + 1}: a line of more than ${cap} bytes `));
      }
    }), { seed: SEED, numRuns: 300 });
  });

  describe("whole command lines through run()", () => {
    let deny: http.Server;
    let endpoint = "";
    const invokes: string[] = [];
    const cwd = process.cwd();
    const empty = tmp();
    before(async () => {
      // In an empty folder: no benchmarks.yaml to find, and nothing a command line writes lands in the repo.
      process.chdir(tmp());
      // Denies every request: a run stops at its first control-plane call, before any invocation.
      deny = http.createServer((req, res) => {
        if (/\/invocations$/.test(req.url ?? "")) invokes.push(req.url!);
        req.resume();
        res.writeHead(403, { "content-type": "application/json", "x-amzn-ErrorType": "AccessDeniedException" });
        res.end(JSON.stringify({ message: "denied by the fuzz test's server" }));
      });
      await new Promise<void>((resolve) => deny.listen(0, "127.0.0.1", resolve));
      endpoint = `http://127.0.0.1:${(deny.address() as net.AddressInfo).port}`;
    });
    after(async () => {
      process.chdir(cwd);
      await new Promise((resolve) => deny.close(resolve));
    });

    const flag = fc.constantFrom("--json", "--log", "-h", "--bogus", "--");
    const option = fc.constantFrom("-n", "-c", "--cold", "--payload", "--retries", "--client-timeout", "--region", "--profile",
      "--manifest", "--name-prefix", "--function-name", "--memory", "--out", "--html", "--endpoint");
    const value = fc.oneof(typed, fc.constantFrom("/dev/null", "/dev/zero", "/dev/full", empty, "[1]", "{}", "/no/such"));
    // Mostly well-formed (a positional, then option-value pairs), with stray flags and values mixed in.
    const line = fc.tuple(
      fc.constantFrom("invoke", "measure", "sweep", "report", "validate", "frobnicate"),
      fc.oneof(fc.constant("f"), value),
      fc.array(fc.oneof({ weight: 4, arbitrary: fc.tuple(option, value) }, { weight: 1, arbitrary: fc.tuple(flag) },
        { weight: 1, arbitrary: fc.tuple(value) }), { maxLength: 5 }).map((pairs) => pairs.flat()),
    ).map(([command, positional, rest]) => [command, [positional, ...rest]] as const);
    /** What makes a command reach its calls unless the fuzzed part says otherwise. */
    const base: Record<string, string[]> = { invoke: [], measure: ["-n", "2"], sweep: ["-n", "2", "--memory", "128"] };

    it("every command line resolves to an exit code with one-line errors; measure and sweep never invoke", async () => {
      await fc.assert(fc.asyncProperty(line, async ([command, rest]) => {
        // The deny server first: a later --endpoint the fuzzer adds is refused or is this one.
        const argv = command in base ? [command, "--endpoint", endpoint, ...base[command], ...rest] : [command, ...rest];
        let out = "";
        let err = "";
        const code = await run(argv, { out: (s) => { out += s; }, err: (s) => { err += s; } });
        assert.ok([0, 1, 2].includes(code), `${JSON.stringify(argv)} exited ${code}`);
        assert.doesNotMatch(err, CRASH, `${JSON.stringify(argv)}:\n${err}`);
        if (code !== 0) assert.notEqual(err, "", `${JSON.stringify(argv)} failed silently`);
        for (const l of err.trimEnd().split("\n")) {
          assert.ok(/^(lambda-bench: |error: |.*:\d+:\d+: |\d+ errors?$|\(Did you mean|Usage: |$)/.test(l) || command === "validate",
            `${JSON.stringify(argv)}: ${l}`);
        }
        if (command !== "invoke") assert.deepEqual(invokes, [], `${JSON.stringify(argv)} sent an invocation`);
        invokes.length = 0;
      }), { seed: SEED, numRuns: 150 });
    });
  });
});
