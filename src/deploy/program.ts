// The Pulumi program proper: a validated manifest in, one Benchmark component per entry out.
// index.ts runs it under the Pulumi engine; `lambda-bench plan` and the tests run it under mocks.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as dockerbuild from "@pulumi/docker-build";
import { Benchmark, LIVE_ALIAS, type StackFacts, type StackNames } from "../../components/benchmark";
import { buildImage, buildInputs } from "../../components/image";
import { stackRepository } from "../../components/repository";
import type { GeneratorSpec } from "../manifest/generator";
import { packageJson } from "../package-info";
import { groupBy } from "../group-by";
import { bucketLogicalName } from "../manifest/names";
import { basicExecutionPolicyArn } from "../manifest/policies";
import type { Manifest } from "../manifest/load";
import type { Benchmark as BenchmarkSpec } from "../manifest/schema";

/** One benchmark's entry in the `functions` stack output, as `pulumi stack output` shows it. */
export interface FunctionFacts {
  name: string;
  arn: string;
  imageUri: string;
  repositoryUrl: string;
  roleArn: string;
  memory: number;
  timeout: number;
  architecture: string;
  /** The alias to invoke (`live`), when the benchmark has provisioned concurrency on it. */
  qualifier?: string;
}

/** An entry as the program returns it: the engine resolves its Outputs into `FunctionFacts`. */
export type FunctionOutput = { [K in keyof FunctionFacts]: pulumi.Input<NonNullable<FunctionFacts[K]>> };

/** The `generator` stack output, when the manifest deploys the generator. */
export interface GeneratorFacts {
  stateMachineArn: string;
  /** The driver function's name. */
  driver: string;
  bucket: string;
  /** The driver's memory, MB. */
  memory: number;
  /** Seconds one driver invocation sends. */
  window: number;
  maxShards: number;
  architecture: string;
}
export type GeneratorOutput = { [K in keyof GeneratorFacts]: pulumi.Input<GeneratorFacts[K]> };

export interface StackOutputs {
  /**
   * Benchmark -> its function. A plain record holding Outputs, not one Output of the whole map:
   * the engine resolves nested Outputs when it records the stack outputs, so nothing is derived
   * per benchmark only to combine them.
   */
  functions: Record<string, FunctionOutput>;
  dataBucket: pulumi.Output<string> | undefined;
  generator: GeneratorOutput | undefined;
}

/** The key that makes two builds identical: same inputs (the Image's own name hashes them), same image. */
export function buildKey(b: BenchmarkSpec): string {
  return JSON.stringify(buildInputs(b));
}

/**
 * Lets the registrations of the benchmark just declared run before the next is declared. Declared
 * all at once, every registration's promise chain is alive at the same time: under the plan's
 * mocks, 500 benchmarks then hold ~1.3 GB of heap and spend most of their time in GC; settled one
 * by one they stay near 250 MB. Against the real engine it only lets the RPCs start sooner.
 */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface StackOptions {
  /** `lambda-bench:buildOnPreview`, passed to every Image; undefined keeps docker-build's default. */
  buildOnPreview?: boolean;
}

/**
 * Declares every resource of the manifest. Names come from function, repository and build names
 * only, and the work is done in name order, so the manifest's order never reaches AWS.
 */
export async function defineStack(manifest: Manifest, namePrefix = "", opts: StackOptions = {}): Promise<StackOutputs> {
  const specs = [...manifest.benchmarks].sort((a, b) => a.function.localeCompare(b.function));

  // One bucket a stack, under the same logical name whoever needs it: a benchmark or the generator.
  const bucket = manifest.usesBucket || manifest.generator
    ? new aws.s3.Bucket(bucketLogicalName(namePrefix), { forceDestroy: true })
    : undefined;
  const [identity, partition, region] = [aws.getCallerIdentityOutput(), aws.getPartitionOutput(), aws.getRegionOutput()];
  // The account's default registry: its token authorizes pushes to every repository the stack owns.
  const token = aws.ecr.getAuthorizationTokenOutput({ registryId: identity.accountId });
  const registryAuth = { userName: token.userName, password: pulumi.secret(token.password) };
  const stack: pulumi.Output<StackFacts> = pulumi
    .all([identity.accountId, partition.partition, region.region, bucket?.bucket])
    .apply(([accountId, part, reg, dataBucket]) => ({ accountId, partition: part, region: reg, dataBucket }));
  const names: StackNames = {
    deployedNames: new Map(specs.map((s) => [s.function, s.deployedName])),
    stackId: `${pulumi.getProject()}/${pulumi.getStack()}`,
  };

  // Repositories first, one per ECR name, then one Image per distinct build pushing to every
  // member's repository and tag, then the benchmarks.
  const repositoryUrls = new Map<string, pulumi.Output<string>>();
  for (const [repo, members] of [...groupBy(specs, (s) => s.repo)].sort(([a], [b]) => a.localeCompare(b))) {
    repositoryUrls.set(repo, stackRepository(repo, members[0].deployedRepo, members.map((m) => m.function)).repositoryUrl);
    await settle();
  }
  const repositoryUrl = (s: BenchmarkSpec) => repositoryUrls.get(s.repo)!;
  const images = new Map<string, dockerbuild.Image>();
  for (const [key, members] of groupBy(specs, buildKey)) {
    images.set(key, buildImage({ members, repositoryUrl, registryAuth, buildOnPreview: opts.buildOnPreview }));
    await settle();
  }

  const basicExecutionArn = partition.partition.apply(basicExecutionPolicyArn);
  const functions: Record<string, FunctionOutput> = {};
  for (const s of specs) {
    const c = new Benchmark(s.function, { spec: s, stack, names, repositoryUrl: repositoryUrl(s), image: images.get(buildKey(s))!, basicExecutionArn });
    functions[s.function] = {
      name: c.function.name, arn: c.function.arn, imageUri: c.imageUri, repositoryUrl: repositoryUrl(s),
      roleArn: c.role.arn, memory: s.memory, timeout: s.timeout, architecture: s.architecture,
      ...(c.alias ? { qualifier: LIVE_ALIAS } : {}),
    };
    await settle();
  }
  return { functions, dataBucket: bucket?.bucket, generator: manifest.generator && defineGenerator(manifest.generator, stack, names.stackId, basicExecutionArn) };
}

/** The generator, after the benchmarks, and its stack output. */
function defineGenerator(spec: GeneratorSpec, stack: pulumi.Output<StackFacts>, stackId: string, basicExecutionArn: pulumi.Output<string>): GeneratorOutput {
  // Required here, not imported: the generator's modules load the state machine's and the shard
  // specs' (~60 ms), and esbuild, which a stack without a generator (and its `plan`) should not pay.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { Generator, GENERATOR_NAME } = require("../../components/generator") as typeof import("../../components/generator");
  const { driverBundle } = require("../generator/bundle") as typeof import("../generator/bundle");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const g = new Generator(GENERATOR_NAME, { spec, stack, stackId, basicExecutionArn, bundle: driverBundle(), version: packageJson().version });
  return {
    stateMachineArn: g.stateMachine.arn, driver: g.driver.name, bucket: g.bucket, memory: spec.memory,
    window: spec.windowSeconds, maxShards: spec.maxShards, architecture: spec.architecture,
  };
}
