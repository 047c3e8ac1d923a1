// The Pulumi program proper: a validated manifest in, one Benchmark component per entry out.
// index.ts runs it under the Pulumi engine; `lambda-bench plan` and the tests run it under mocks.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Benchmark, type StackFacts, type StackNames } from "../components/benchmark";
import type { Manifest } from "./manifest/load";
import type { Benchmark as BenchmarkSpec } from "./manifest/schema";

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
}

/** An entry as the program returns it: the engine resolves its Outputs into `FunctionFacts`. */
export type FunctionOutput = { [K in keyof FunctionFacts]: pulumi.Input<FunctionFacts[K]> };

export interface StackOutputs {
  /**
   * Benchmark -> its function. A plain record holding Outputs, not one Output of the whole map:
   * the engine resolves nested Outputs when it records the stack outputs, so nothing is derived
   * per benchmark only to combine them.
   */
  functions: Record<string, FunctionOutput>;
  dataBucket: pulumi.Output<string> | undefined;
}

/** The key that makes two builds identical: same inputs, same image. */
export function buildKey(b: BenchmarkSpec): string {
  const args = Object.fromEntries(Object.entries(b.build.args).sort(([a], [c]) => a.localeCompare(c)));
  return JSON.stringify([b.build.context, b.build.dockerfile, args, b.build.target ?? null, b.platform]);
}

/**
 * Lets the registrations of the benchmark just declared run before the next is declared. Declared
 * all at once, every registration's promise chain is alive at the same time: under the plan's
 * mocks, 500 benchmarks then hold ~1.3 GB of heap and spend most of their time in GC; settled one
 * by one they stay near 250 MB. Against the real engine it only lets the RPCs start sooner.
 */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Declares every resource of the manifest. Names come from function names only and the work is
 * done in name order, so the manifest's order never reaches AWS.
 */
export async function defineStack(manifest: Manifest, namePrefix = ""): Promise<StackOutputs> {
  const specs = [...manifest.benchmarks].sort((a, b) => a.function.localeCompare(b.function));

  const bucket = manifest.usesBucket
    ? new aws.s3.Bucket(`${namePrefix}lambda-bench-data`.toLowerCase(), { forceDestroy: true })
    : undefined;
  const [identity, partition, region] = [aws.getCallerIdentityOutput(), aws.getPartitionOutput(), aws.getRegionOutput()];
  // The account's default registry: its token authorizes pushes to every repository the stack owns.
  const token = aws.ecr.getAuthorizationTokenOutput({ registryId: identity.accountId });
  const registryAuth = { userName: token.userName, password: pulumi.secret(token.password) };
  const stack: pulumi.Output<StackFacts> = pulumi
    .all([identity.accountId, partition.partition, region.region, bucket?.bucket])
    .apply(([accountId, part, reg, dataBucket]) => ({ accountId, partition: part, region: reg, dataBucket }));
  const names: StackNames = {
    functions: specs.map((s) => s.deployedName),
    deployedNames: new Map(specs.map((s) => [s.function, s.deployedName])),
  };

  // Identical builds are built once, by the first benchmark of the group in name order, and pushed
  // to every member's repository. The members' repositories and the builder's digest are wired
  // with a deferred output, as the builder exists before the members' repositories do.
  const groups = new Map<string, BenchmarkSpec[]>();
  for (const s of specs) groups.set(buildKey(s), [...(groups.get(buildKey(s)) ?? []), s]);
  const components = new Map<string, Benchmark>();
  for (const members of groups.values()) {
    const [builder, ...others] = members;
    const [alsoTag, resolveTags] = others.length > 0 ? pulumi.deferredOutput<string[]>() : [undefined, undefined];
    const built = new Benchmark(builder.function, { spec: builder, stack, names, image: { build: true, alsoTag, registryAuth } });
    components.set(builder.function, built);
    await settle();
    const memberTags: pulumi.Output<string>[] = [];
    for (const spec of others) {
      const member = new Benchmark(spec.function, {
        spec, stack, names, image: { build: false, digest: built.digest, builtBy: built.image! },
      });
      components.set(spec.function, member);
      memberTags.push(member.repository.repositoryUrl.apply((url) => `${url}:${spec.tag}`));
      await settle();
    }
    resolveTags?.(pulumi.all(memberTags));
  }

  const functions: Record<string, FunctionOutput> = {};
  for (const s of specs) {
    const c = components.get(s.function)!;
    functions[s.function] = {
      name: c.function.name, arn: c.function.arn, imageUri: c.imageUri, repositoryUrl: c.repository.repositoryUrl,
      roleArn: c.role.arn, memory: s.memory, timeout: s.timeout, architecture: s.architecture,
    };
  }
  return { functions, dataBucket: bucket?.bucket };
}
