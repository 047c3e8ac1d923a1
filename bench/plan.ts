// Validate and plan a generated 500-benchmark manifest, beside registering the same number of bare
// resources under the same mocks: the ratio says what our program costs over Pulumi's own floor.
// Targets (issue 3): plan < 2 s and <= 1.5x the bare registrations.
import * as aws from "@pulumi/aws";
import * as dockerbuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadManifest } from "../src/manifest/load";
import { runUnderMocks } from "../src/mocks";
import { defineStack, settle } from "../src/program";

const N = Number(process.env.BENCH_N ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

function generate(dir: string): string {
  for (let c = 0; c < 10; c++) {
    fs.mkdirSync(path.join(dir, `ctx${c}`, "docker"), { recursive: true });
    fs.writeFileSync(path.join(dir, `ctx${c}`, "docker", "Dockerfile.Lambda"), "FROM public.ecr.aws/lambda/nodejs:22\n");
  }
  const lines = ["defaults:", "  platform: linux/arm64", "  env: { IS_LAMBDA: \"true\" }", "benchmarks:"];
  for (let i = 0; i < N; i++) {
    lines.push(
      `  - function: bench-${i}`,
      `    build: { context: ctx${i % 10}, dockerfile: docker/Dockerfile.Lambda, args: { variant: v${i} } }`,
      `    memory: ${128 * (1 + (i % 8))}`,
      `    policies: [access_s3, { invoke_function: [bench-${(i + 1) % N}] }]`,
      `    env: { NEXT: "\${function:bench-${(i + 1) % N}}", DATA: "\${bucket}" }`,
    );
  }
  const file = path.join(dir, "benchmarks.yaml");
  fs.writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

async function time(fn: () => Promise<number>): Promise<{ ms: number; count: number }> {
  const t0 = process.hrtime.bigint();
  const count = await fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, count };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lambda-bench-plan-"));
  const file = generate(dir);
  process.chdir(dir);
  const planRun = () => time(async () => (await runUnderMocks(() => defineStack(loadManifest(file)))).length);
  const validateRun = () => time(async () => loadManifest(file).benchmarks.length);
  let resources = (await planRun()).count; // warm-up: module loading is not the program's cost
  // The comparators let registrations settle after each benchmark's worth of resources, as the
  // program does, so both sides get the same treatment from the SDK and the GC.
  const perBenchmark = Math.round(resources / N);
  const bareRun = () => time(async () => (await runUnderMocks(async () => {
    for (let i = 0; i < resources; i++) {
      new (pulumi.CustomResource as any)("bench:index:Bare", `bare-${i}`, {});
      if (i % perBenchmark === perBenchmark - 1) await settle();
    }
  })).length);
  await bareRun();
  // The same provider classes as the plan, flat, with constant inputs: what the SDK classes cost
  // before any of our code (component, wiring, validation) runs.
  const classesRun = () => time(async () => (await runUnderMocks(async () => {
    for (let i = 0; i < N; i++) {
      const n = `flat-${i}`;
      new aws.ecr.Repository(n, { name: n, forceDelete: true });
      new dockerbuild.Image(n, { push: true, tags: [`r/${n}:latest`], platforms: ["linux/arm64"], context: { location: "ctx0" } });
      const role = new aws.iam.Role(n, { assumeRolePolicy: "{}" });
      new aws.iam.RolePolicyAttachment(n, { role: n, policyArn: "arn:aws:iam::aws:policy/x" });
      new aws.iam.RolePolicy(n, { role: n, policy: "{}" });
      new aws.lambda.Function(n, { name: n, packageType: "Image", imageUri: "r@sha256:0", role: "arn", architectures: ["arm64"] });
      void role;
      await settle();
    }
    new aws.s3.Bucket("data", {});
  })).length);
  await classesRun();

  const plans: number[] = [];
  const bares: number[] = [];
  const validates: number[] = [];
  const classes: number[] = [];
  for (let r = 0; r < ROUNDS; r++) { // interleaved, so drift hits both sides alike
    validates.push((await validateRun()).ms);
    const p = await planRun();
    resources = p.count;
    plans.push(p.ms);
    bares.push((await bareRun()).ms);
    classes.push((await classesRun()).ms);
  }
  const [p, b, v, c] = [median(plans), median(bares), median(validates), median(classes)];
  console.log(`benchmarks: ${N}, resources registered: ${resources}, rounds: ${ROUNDS} (medians)`);
  console.log(`validate only:            ${v.toFixed(0)} ms`);
  console.log(`validate + plan:          ${p.toFixed(0)} ms   (target < 2000 ms)`);
  console.log(`bare registrations:       ${b.toFixed(0)} ms`);
  console.log(`same classes, flat:       ${c.toFixed(0)} ms   (${6 * N + 1} resources, no component)`);
  console.log(`ratio plan / bare:        ${(p / b).toFixed(2)}x   (target <= 1.5x)`);
  console.log(`ratio plan / same flat:   ${(p / c).toFixed(2)}x   (what our program adds over the SDK classes)`);
  console.log(`peak RSS:                 ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

main().catch((err) => { console.error(err); process.exit(1); });
