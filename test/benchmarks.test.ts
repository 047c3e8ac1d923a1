// Our own benchmarks' handlers, run in-process, and their Dockerfiles checked for what Lambda needs.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
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

describe("benchmarks: Dockerfiles", () => {
  const dirs = fs.readdirSync(path.join(ROOT, "benchmarks")).filter((d) => fs.existsSync(path.join(ROOT, "benchmarks", d, "docker", "Dockerfile.Lambda")));

  it("every benchmark folder has docker/Dockerfile.Lambda", () => {
    assert.ok(dirs.includes("hello"));
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
