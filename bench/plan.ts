// Validate and plan a generated 500-benchmark manifest, beside registering the same resources bare
// under the same mocks: the ratio says what our program (validation, the component, the wiring
// between resources) costs over the SDK's own price for those resources.
// Targets: validate + plan <= 2 s (issue 3), and <= 1.3x the bare registrations (issue 16).
//
// "Bare" replays the plan's own 4,501 registrations: each resource of the same class, name and
// final inputs, declared directly, with no manifest, component logic, parents or Outputs between
// them. An empty `CustomResource` is printed too, as the SDK's floor per registration: a
// `@pulumi/aws` class costs several times that under any program, because the SDK makes an Output
// (and a dozen promises) for each of its dozens of output properties.
import * as aws from "@pulumi/aws";
import * as dockerbuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadManifest } from "../src/manifest/load";
import { Metric } from "../src/stats/metric";
import { runUnderMocks, type Registered } from "../src/deploy/mocks";
import { defineStack, settle } from "../src/deploy/program";
import { verdict } from "./verdict";

const N = Number(process.env.BENCH_N ?? 500);
// 15 rounds: on this machine one round's ratio ranges from about 0.9x to 1.8x (allocation-heavy
// runs vary with the host's memory traffic, and from process to process), so the median's 95%
// interval is printed beside it.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

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

/** A component and a custom resource with nothing of ours in them. */
class BareComponent extends pulumi.ComponentResource {}
class EmptyResource extends pulumi.CustomResource {}

/** The classes the program registers, by type token, so a recorded registration can be replayed. */
const CLASSES: Record<string, (name: string, inputs: any) => pulumi.Resource> = {
  "lambda-bench:index:Benchmark": (name) => new BareComponent("lambda-bench:index:Benchmark", name),
  "aws:ecr/repository:Repository": (name, inputs) => new aws.ecr.Repository(name, inputs),
  "docker-build:index:Image": (name, inputs) => new dockerbuild.Image(name, inputs),
  "aws:iam/role:Role": (name, inputs) => new aws.iam.Role(name, inputs),
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (name, inputs) => new aws.iam.RolePolicyAttachment(name, inputs),
  "aws:iam/rolePolicy:RolePolicy": (name, inputs) => new aws.iam.RolePolicy(name, inputs),
  "aws:lambda/function:Function": (name, inputs) => new aws.lambda.Function(name, inputs),
  "aws:s3/bucket:Bucket": (name, inputs) => new aws.s3.Bucket(name, inputs),
  "aws:ecr/lifecyclePolicy:LifecyclePolicy": (name, inputs) => new aws.ecr.LifecyclePolicy(name, inputs),
  "aws:cloudwatch/logGroup:LogGroup": (name, inputs) => new aws.cloudwatch.LogGroup(name, inputs),
  "aws:lambda/alias:Alias": (name, inputs) => new aws.lambda.Alias(name, inputs),
  "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig": (name, inputs) => new aws.lambda.ProvisionedConcurrencyConfig(name, inputs),
};

async function time(fn: () => Promise<number>): Promise<{ ms: number; count: number }> {
  const t0 = process.hrtime.bigint();
  const count = await fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, count };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lambda-bench-plan-"));
  const home = process.cwd();
  try {
    process.chdir(dir);
    await rounds(generate(dir));
  } finally {
    process.chdir(home);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function rounds(file: string) {
  const planRun = () => time(async () => (await runUnderMocks(() => defineStack(loadManifest(file)))).length);
  const validateRun = () => time(async () => loadManifest(file).benchmarks.length);
  // The registrations to replay, with every input known (as after a deploy), so each class gets
  // the required inputs its constructor checks for.
  const recorded: Registered[] = await runUnderMocks(() => defineStack(loadManifest(file)), { deployed: true });
  const perBenchmark = Math.round(recorded.length / N);
  // Both comparators let registrations settle after each benchmark's worth of resources, as the
  // program does, so every side gets the same treatment from the SDK and the GC.
  const replayRun = () => time(async () => (await runUnderMocks(async () => {
    for (let i = 0; i < recorded.length; i++) {
      const { type, name, inputs } = recorded[i];
      CLASSES[type](name, inputs);
      if (i % perBenchmark === perBenchmark - 1) await settle();
    }
  })).length);
  const emptyRun = () => time(async () => (await runUnderMocks(async () => {
    for (let i = 0; i < recorded.length; i++) {
      new EmptyResource("bench:index:Empty", `empty-${i}`, {});
      if (i % perBenchmark === perBenchmark - 1) await settle();
    }
  })).length);
  // Warm-up: module loading and JIT are not the program's cost.
  await planRun();
  await replayRun();
  await emptyRun();

  const plans: number[] = [];
  const replays: number[] = [];
  const validates: number[] = [];
  const empties: number[] = [];
  let resources = 0;
  for (let r = 0; r < ROUNDS; r++) { // interleaved, so drift hits every side alike
    validates.push((await validateRun()).ms);
    const p = await planRun();
    resources = p.count;
    plans.push(p.ms);
    const b = await replayRun();
    if (b.count !== resources) throw new Error(`the replay registered ${b.count} resources, the plan ${resources}`);
    replays.push(b.ms);
    empties.push((await emptyRun()).ms);
  }
  const [p, b, v, e] = [median(plans), median(replays), median(validates), median(empties)];
  // Each round's ratio is taken between runs side by side, so the machine's drift cancels out.
  const ratios = plans.map((ms, i) => ms / replays[i]);
  const ratio = median(ratios);
  const floorRatio = median(plans.map((ms, i) => ms / empties[i]));
  console.log(`benchmarks: ${N}, resources registered: ${resources}, rounds: ${ROUNDS} (medians)`);
  console.log(`validate only:               ${v.toFixed(0)} ms`);
  console.log(`validate + plan:             ${p.toFixed(0)} ms`);
  console.log(`same resources, bare:        ${b.toFixed(0)} ms   (each class, name and final inputs, declared directly)`);
  // The median's 95% interval as measure's statistics give it (order statistics, median-ci.ts).
  const ratioMetric = new Metric(1000);
  for (const r of ratios) ratioMetric.record(r);
  const ci = ratioMetric.stat().p50Ci95;
  const interval = ci ? `; its 95% interval ${ci[0].toFixed(2)}-${ci[1].toFixed(2)}x` : "";
  console.log(`ratio plan / bare:           ${ratio.toFixed(2)}x   (median of the rounds${interval}: ${ratios.map((r) => r.toFixed(2)).join(" ")})`);
  console.log(`empty CustomResources:       ${e.toFixed(0)} ms   (the SDK's floor per registration; plan / empty ${floorRatio.toFixed(1)}x)`);
  console.log(`peak RSS:                    ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  console.log(verdict("validate + plan", p / 1000, 2, { unit: " s" }));
  console.log(verdict("plan / bare", ratio, 1.3)); // issue 16: <= 1.3x, with the new resources counted on both sides
}

main().catch((err) => { console.error(err); process.exit(1); });
