// examples/vswarm.yaml planned against a stub vSwarm checkout with the same paths and stages.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Registered } from "../src/deploy/mocks";
import { plan } from "../src/deploy/plan";
import { find, T } from "./program-support";

/** vSwarm's Dockerfile.Lambda stages (benchmarks/<name>/docker/Dockerfile.Lambda), by benchmark. */
const STAGES: Record<string, string[]> = {
  aes: ["aesPythonLambda", "aesNodeJSLambda", "aesGoLambdaBuilder", "aesGoLambda"],
  auth: ["authPythonLambda", "authNodeJSLambda", "authGoLambdaBuilder", "authGoLambda"],
  "map-reduce": [],
};

/** <tmp>/lambda-bench/examples/vswarm.yaml beside <tmp>/vSwarm, as the example's comments ask. */
function checkout(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "lambda-bench-vswarm-"));
  for (const [bench, stages] of Object.entries(STAGES)) {
    const docker = path.join(root, "vSwarm", "benchmarks", bench, "docker");
    fs.mkdirSync(docker, { recursive: true });
    const from = stages.length ? stages.map((s) => `FROM scratch as ${s}\n`).join("") : "FROM public.ecr.aws/lambda/python:3.9\nARG target_arg\n";
    fs.writeFileSync(path.join(docker, "Dockerfile.Lambda"), from);
  }
  const examples = path.join(root, "lambda-bench", "examples");
  fs.mkdirSync(examples, { recursive: true });
  fs.copyFileSync(path.resolve(__dirname, "..", "..", "examples", "vswarm.yaml"), path.join(examples, "vswarm.yaml"));
  return path.join(examples, "vswarm.yaml");
}

describe("examples/vswarm.yaml", function () {
  let rs: Registered[];
  let root: string;
  before(async () => {
    const file = checkout();
    root = path.resolve(path.dirname(file), "..", "..");
    const cwd = process.cwd();
    process.chdir(path.dirname(path.dirname(file))); // the lambda-bench folder, as Pulumi runs it
    try { rs = await plan(file); } finally { process.chdir(cwd); }
  });

  it("aes and auth: every Lambda stage of their Dockerfile.Lambda, one repository each, a tag per language", () => {
    const images = rs.filter((r) => r.type === T.image);
    for (const bench of ["aes", "auth"]) {
      const targets = images.filter((i) => i.inputs.dockerfile && (i.inputs.dockerfile as any).location.endsWith(`${bench}/docker/Dockerfile.Lambda`)).map((i) => i.inputs.target).sort();
      assert.deepEqual(targets, STAGES[bench].filter((s) => !s.endsWith("Builder")).sort());
      for (const t of targets) {
        const text = fs.readFileSync(path.join(root, "vSwarm", "benchmarks", bench, "docker", "Dockerfile.Lambda"), "utf8");
        assert.match(text, new RegExp(`as ${t}\\n`));
      }
      for (const r of images) assert.deepEqual(r.inputs.context, { location: path.join("..", "vSwarm") });
    }
    assert.deepEqual(rs.filter((r) => r.type === T.repo).map((r) => r.inputs.name).sort(), ["vswarm/aes", "vswarm/auth", "vswarm/map-reduce"]);
  });

  it("map-reduce: three builds by target_arg into one repository, env for the driver, driver scoped to invoke the other two", () => {
    const args = rs.filter((r) => r.type === T.image && r.inputs.buildArgs).map((r) => (r.inputs.buildArgs as any).target_arg).sort();
    assert.deepEqual(args, ["driver", "mapper", "reducer"]);
    const driver = find(rs, T.fn, "mr-driver").inputs;
    const env = (driver.environment as any).variables;
    assert.equal(env.MAPPER_FUNCTION, "mr-mapper");
    assert.equal(env.REDUCER_FUNCTION, "mr-reducer");
    assert.equal(env.NUM_MAPPERS, "4");
    assert.equal(env.NUM_REDUCERS, "2");
    assert.match(env.DATA_BUCKET, /^lambda-bench-data-[0-9a-f]{7}$/);
    const doc = JSON.parse(find(rs, T.policy, "mr-driver-catalogue").inputs.policy as string);
    const invoke = doc.Statement.find((s: any) => s.Sid === "InvokeFunction");
    assert.deepEqual(invoke.Resource.map((a: string) => a.split(":function:")[1]), ["mr-mapper", "mr-mapper:*", "mr-reducer", "mr-reducer:*"]);
  });

  it("x86_64 everywhere, matching the built platform; timeout 120 and IS_LAMBDA as vSwarm deploys them", () => {
    const fns = rs.filter((r) => r.type === T.fn);
    assert.equal(fns.length, 9);
    for (const f of fns) {
      assert.deepEqual(f.inputs.architectures, ["x86_64"]);
      assert.equal(f.inputs.timeout, 120);
      assert.equal((f.inputs.environment as any).variables.IS_LAMBDA, "true");
    }
    for (const i of rs.filter((r) => r.type === T.image)) assert.deepEqual(i.inputs.platforms, ["linux/amd64"]);
    for (const p of rs.filter((r) => r.type === T.policy)) assert.doesNotMatch(p.inputs.policy as string, /"\*"|s3:\*/);
  });
});
