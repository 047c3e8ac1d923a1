// Bad input at the edges (issue 17), as a user meets it: the real bin in a child process, so a
// native crash or a stack trace would show. Each case asserts the exit code, that the one-line
// message names the input, that stderr holds no stack trace, and where a server is given, that
// nothing was sent.
import { strict as assert } from "node:assert";
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnCli } from "./run-cli";
import { InvokeServer } from "../src/standin/invoke-server";
import { ENV, fails, ok, tmp } from "./edges-support";

describe("edges: bad input gets one clear line, never a crash", function () {
  this.timeout(120_000);
  let server: InvokeServer;
  before(async () => { server = await InvokeServer.start(ok); });
  after(async () => { await server.close(); });
  const at = () => ["--endpoint", server.endpoint];

  it("--payload @/dev/zero is read up to 6 MB and refused, before any call", async () => {
    const before = server.received;
    await fails(["measure", "f", "--payload", "@/dev/zero", ...at()], 2,
      /^lambda-bench: --payload @\/dev\/zero is more than 6 MB; Lambda's synchronous invoke takes at most 6 MB \(6291456 bytes\) of payload\n$/);
    assert.equal(server.received, before);
  });

  it("a 7 MB payload file is refused from its size, naming the size and the limit, before any call", async () => {
    const file = path.join(tmp(), "big.json");
    fs.writeFileSync(file, "");
    fs.truncateSync(file, 7 * 1024 * 1024);
    const before = server.received;
    await fails(["measure", "f", "-n", "3", "--payload", `@${file}`, ...at()], 2,
      new RegExp(`^lambda-bench: --payload @${file} is 7340032 bytes; .* at most 6 MB \\(6291456 bytes\\) of payload\\n$`));
    await fails(["invoke", "f", "--payload", `@${file}`, ...at()], 2, /is 7340032 bytes/);
    assert.equal(server.received, before);
  });

  it("a payload from a FIFO is read like a file, and refused past 6 MB", async () => {
    const dir = tmp();
    const fifo = path.join(dir, "event.fifo");
    execFileSync("mkfifo", [fifo]);
    // The writers are shells of their own: this process reads the FIFO synchronously.
    const small = spawn("sh", ["-c", `printf '{"from":"fifo"}' > ${fifo}`]);
    const smallDone = new Promise((resolve) => small.on("close", resolve));
    const served: string[] = [];
    const s = await InvokeServer.start((call) => { served.push(call.body.toString()); return ok(call); });
    let big: ReturnType<typeof spawn> | undefined;
    try {
      const r = await spawnCli(["invoke", "f", "--payload", `@${fifo}`, "--endpoint", s.endpoint], { env: ENV, cwd: dir }).exited;
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(served, ['{"from":"fifo"}']);
      await smallDone;
      big = spawn("sh", ["-c", `head -c 7000000 /dev/zero > ${fifo}`]);
      await fails(["invoke", "f", "--payload", `@${fifo}`, "--endpoint", s.endpoint], 2,
        new RegExp(`^lambda-bench: --payload @${fifo} is more than 6 MB; .*\\(6291456 bytes\\)`), dir);
      assert.equal(served.length, 1);
    } finally {
      big?.kill();
      await s.close();
    }
  });

  it("--payload that is JSON but not an object is sent as it is (Lambda and the AWS CLI take any JSON)", async () => {
    const seen: string[] = [];
    const s = await InvokeServer.start((call) => { seen.push(call.body.toString()); return ok(call); });
    try {
      for (const payload of ['[1,2]', '"text"', "42", "null"]) {
        const r = await spawnCli(["measure", "f", "-n", "1", "--payload", payload, "--endpoint", s.endpoint], { env: ENV, cwd: tmp() }).exited;
        assert.equal(r.code, 0, r.err);
      }
      assert.deepEqual(seen, ['[1,2]', '"text"', "42", "null"]);
    } finally {
      await s.close();
    }
  });

  it("--payload that is not JSON, not UTF-8, starts with a BOM, or names no file: one line naming it", async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, "latin1.json"), Buffer.from([0x22, 0xe9, 0x22]));
    fs.writeFileSync(path.join(dir, "bom.json"), Buffer.from("\ufeff{}"));
    await fails(["invoke", "f", "--payload", "{nope", ...at()], 2, /^lambda-bench: --payload is not JSON \(.*\); pass a JSON document or @file\.json\n$/, dir);
    await fails(["invoke", "f", "--payload", "@latin1.json", ...at()], 2, /^lambda-bench: --payload @latin1\.json is not UTF-8 text; /, dir);
    await fails(["invoke", "f", "--payload", "@bom.json", ...at()], 2, /^lambda-bench: --payload @bom\.json starts with a byte order mark/, dir);
    await fails(["invoke", "f", "--payload", "@", ...at()], 2, /^lambda-bench: --payload @ names no file: /, dir);
    await fails(["invoke", "f", "--payload", `@${dir}`, ...at()], 2, new RegExp(`^lambda-bench: cannot read payload file ${dir}: it is a folder, not a file\\n$`), dir);
  });

  it("--endpoint takes http:// and https:// URLs only, and says so", async () => {
    for (const bad of ["ftp://x", "notaurl", "", "file:///tmp/x", "localhost:9000"]) {
      await fails(["invoke", "f", "--endpoint", bad], 2,
        `lambda-bench: --endpoint takes an http:// or https:// URL, e.g. http://localhost:9000; got ${JSON.stringify(bad)}\n`);
    }
  });

  it("-n 0, -n past 2^53, a negative --client-timeout, -c past the cap: usage errors naming the option", async () => {
    await fails(["measure", "f", "-n", "0", ...at()], 2, /^lambda-bench: -n must be a whole number >= 1; got "0"\n$/);
    await fails(["measure", "f", "-n", "99999999999999999999", ...at()], 2, /^lambda-bench: -n must be a whole number >= 1; got "99999999999999999999"\n$/);
    await fails(["measure", "f", "--client-timeout", "-5", ...at()], 2, /^lambda-bench: --client-timeout takes a duration from 1ms to 1h, e\.g\. 500ms, 30s or 2m; got "-5"\n$/);
    await fails(["measure", "f", "--client-timeout", "99999999999999", ...at()], 2, /^lambda-bench: --client-timeout takes a duration .*got "99999999999999"\n$/);
    await fails(["sweep", "f", "--memory", "128", "--client-timeout", "-1s", ...at()], 2, /^lambda-bench: --client-timeout .*got "-1s"\n$/);
    await fails(["measure", "f", "-c", "100000", "-n", "100000", ...at()], 2, /^lambda-bench: -c must be a whole number from 1 to 10000; got "100000"\n$/);
  });

  it("-c larger than -n is a usage error (as ab, hey and k6's shared-iterations), before any call", async () => {
    const before = server.received;
    await fails(["measure", "f", "-n", "3", "-c", "10", ...at()], 2,
      /^lambda-bench: -c 10 is more than -n 3: no more than -n invocations can be in flight; lower -c or raise -n\n$/);
    await fails(["sweep", "f", "--memory", "128", "-c", "200", ...at()], 2, /^lambda-bench: -c 200 is more than -n 100: /);
    assert.equal(server.received, before);
  });

  it("--region, --function-name, --manifest, --name-prefix and --profile that cannot be right are refused by name", async () => {
    await fails(["invoke", "f", "--region", "us east", ...at()], 2, /^lambda-bench: --region takes a region name such as us-east-1; got "us east"\n$/);
    await fails(["invoke", "f", "--region", "", ...at()], 2, /^lambda-bench: --region takes a region name such as us-east-1; got ""\n$/);
    await fails(["measure", "f", "--function-name", "", ...at()], 2,
      `lambda-bench: --function-name takes a function name, name:qualifier or ARN (letters, digits, - and _); got ""\n`);
    await fails(["measure", "f", "--manifest", "", ...at()], 2, "lambda-bench: --manifest needs a value; got an empty string\n");
    await fails(["measure", "f", "--name-prefix", "a/b", ...at()], 2,
      `lambda-bench: --name-prefix takes letters, digits, - and _ (it starts every function name); got "a/b"\n`);
    await fails(["invoke", "f", "--profile", " ", ...at()], 2, /^lambda-bench: --profile needs a value; got an empty string\n$/);
  });

  it("a benchmark name that no function can have (empty, spaces, a path) is refused before any call", async () => {
    const before = server.received;
    for (const name of ["", " ", "../../admin", "a b", "x".repeat(171)]) {
      await fails(["invoke", name, ...at()], 2,
        `lambda-bench: <benchmark> takes a function name, name:qualifier or ARN (letters, digits, - and _); got ${JSON.stringify(name)}\n`);
    }
    await fails(["measure", "", ...at()], 2, /^lambda-bench: <benchmark> takes a function name, .*; got ""\n$/);
    assert.equal(server.received, before);
    // The forms Invoke takes still pass: a qualifier, a partial ARN, a full ARN.
    for (const name of ["f:$LATEST", "f:prod", "123456789012:function:f", "arn:aws:lambda:us-east-1:123456789012:function:f:1"]) {
      const r = await spawnCli(["invoke", name, ...at()], { env: ENV, cwd: tmp() }).exited;
      assert.equal(r.code, 0, `${name}: ${r.err}`);
    }
  });

  it("a manifest path that is a folder, or /dev/zero: one file:1:1 error naming it", async () => {
    const dir = tmp();
    await fails(["validate", dir], 1, new RegExp(`^${dir}:1:1: cannot read the manifest: it is a folder, not a file\\n1 error\\n$`));
    await fails(["measure", "f", "--manifest", dir, ...at()], 1, new RegExp(`^${dir}:1:1: cannot read the manifest: it is a folder, not a file\\n`));
    await fails(["plan", dir], 1, new RegExp(`^${dir}:1:1: cannot read the manifest: it is a folder, not a file\\n`));
    await fails(["validate", "/dev/zero"], 1, /^\/dev\/zero:1:1: cannot read the manifest: it gives more than 16777216 bytes\n1 error\n$/);
  });

  it("report on /dev/zero (no newline, ever) is refused at the first line, not read until memory runs out", async () => {
    await fails(["report", "/dev/zero"], 1, /^lambda-bench: \/dev\/zero:1: a line of more than 1048576 bytes is not an invocation record: /);
  });

  it("--out that cannot be opened: one line naming the path, before any call", async () => {
    const dir = tmp();
    const before = server.received;
    await fails(["measure", "f", "-n", "1", "--out", dir, ...at()], 1, `lambda-bench: cannot write ${dir}: it is a folder; name a file (EISDIR)\n`);
    // A missing folder is made (as sweep's --out is); a file in the way of one is not a folder.
    fs.writeFileSync(path.join(dir, "file"), "");
    await fails(["measure", "f", "-n", "1", "--out", path.join(dir, "file", "such.jsonl"), ...at()], 1,
      `lambda-bench: cannot make the folder ${path.join(dir, "file")} for --out: a file of that name is in the way (EEXIST)\n`);
    assert.equal(server.received, before);
  });
});
