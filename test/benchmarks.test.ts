// Our own benchmarks' handlers, run in-process, and their Dockerfiles checked for what Lambda needs.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { createCipheriv, createHash } from "node:crypto";
import { encrypt, handler as aes, plaintext } from "../benchmarks/aes/src/handler";
import { handler as hello } from "../benchmarks/hello/src/handler";

const ROOT = path.resolve(__dirname, "..", "..");

describe("benchmarks: hello", () => {
  it("answers at once, and says whether the environment was cold", async () => {
    const first = await hello({ name: "lambda" });
    const second = await hello(undefined);
    assert.equal(first.message, "hello, lambda");
    assert.equal(first.coldStart, true);
    assert.equal(second.message, "hello, world");
    assert.equal(second.coldStart, false);
    assert.ok(second.sinceInitMs >= first.sinceInitMs);
  });
});

describe("benchmarks: aes", () => {
  const hex = (s: string) => Buffer.from(s.replace(/\s/g, ""), "hex");

  it("CTR-AES256 matches NIST SP 800-38A F.5.5", () => {
    const key = hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
    const counter = hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
    const pt = hex(`6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51
                    30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710`);
    assert.equal(encrypt(pt, key, counter, "ctr").toString("hex"),
      "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c52b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6");
  });

  it("GCM-AES256 matches the GCM spec's test case 14 (one zero block, zero key and IV)", () => {
    const zero = Buffer.alloc(32);
    assert.equal(encrypt(Buffer.alloc(16), zero, Buffer.alloc(16), "gcm").toString("hex"), "cea7403d4d606b6e074ec5d3baf39d18");
  });

  it("chains rounds and digests the final output, checked against an independent computation", async () => {
    const r = await aes({ length: 1000, rounds: 3, mode: "ctr" });
    const key = createHash("sha256").update("lambda-bench aes key").digest();
    const iv = createHash("sha256").update("lambda-bench aes iv").digest().subarray(0, 16);
    let data = plaintext(1000);
    for (let i = 0; i < 3; i++) { const c = createCipheriv("aes-256-ctr", key, iv); data = Buffer.concat([c.update(data), c.final()]); }
    assert.deepEqual([r.mode, r.length, r.rounds, r.digest], ["ctr", 1000, 3, createHash("sha256").update(data).digest("hex")]);
    assert.ok(r.handlerMs >= 0);
    assert.equal(plaintext(1000).length, 1000);
    assert.notEqual((await aes({ length: 1000, rounds: 3, mode: "gcm" })).digest, r.digest);
  });

  it("rejects out-of-range events with a clear error", async () => {
    await assert.rejects(aes({ length: 0 }), /length must be a whole number from 1 to 67108864; got 0/);
    await assert.rejects(aes({ rounds: 1.5 }), /rounds must be a whole number/);
    await assert.rejects(aes({ mode: "cbc" as never }), /mode must be ctr or gcm; got "cbc"/);
  });
});

describe("benchmarks: Dockerfiles", () => {
  const dirs = fs.readdirSync(path.join(ROOT, "benchmarks")).filter((d) => fs.existsSync(path.join(ROOT, "benchmarks", d, "docker", "Dockerfile.Lambda")));

  it("every benchmark folder has docker/Dockerfile.Lambda", () => {
    assert.deepEqual(dirs.filter((d) => ["hello", "aes", "map-reduce"].includes(d)).sort(), ["aes", "hello", "map-reduce"]);
  });

  for (const d of dirs) {
    it(`${d}: pinned Lambda base image, CMD naming a file the build produces, every ARG used`, () => {
      const text = fs.readFileSync(path.join(ROOT, "benchmarks", d, "docker", "Dockerfile.Lambda"), "utf8");
      const froms = [...text.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
      assert.ok(froms.length > 0);
      const final = froms[froms.length - 1];
      assert.match(final, /^public\.ecr\.aws\/lambda\/nodejs:\d+(\.\d+)*$/, "the final stage runs on a tagged Lambda base image");
      const cmd = /^CMD\s+\["([^"]+)"\]/m.exec(text);
      assert.ok(cmd, "a CMD in exec form");
      const [file, fn] = [cmd[1].slice(0, cmd[1].lastIndexOf(".")), cmd[1].slice(cmd[1].lastIndexOf(".") + 1)];
      // The build compiles src/<file>.ts to dist/<file>.js and copies dist/ to the task root.
      assert.ok(fs.existsSync(path.join(ROOT, "benchmarks", d, "src", `${file}.ts`)), `src/${file}.ts exists`);
      const mod = require(path.join(ROOT, "dist", "benchmarks", d, "src", file));
      assert.equal(typeof mod[fn], "function", `${file}.${fn} is exported`);
      for (const [, arg] of text.matchAll(/^ARG\s+(\w+)/gm)) {
        const uses = text.split(/\n/).filter((l) => !/^ARG\s/.test(l) && new RegExp(`\\$\\{?${arg}\\b`).test(l));
        assert.ok(uses.length > 0, `ARG ${arg} is used`);
      }
    });
  }
});
