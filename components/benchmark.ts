// One benchmark of the manifest as AWS resources: its ECR repository, the image pushed there, an IAM
// role with the catalogue's policies, and the Lambda function running that image by digest.
import * as aws from "@pulumi/aws";
import * as dockerbuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import type { Benchmark as BenchmarkSpec } from "../src/manifest/schema";
import { inlinePolicy, LAMBDA_TRUST_POLICY, managedPolicyArns } from "../src/policies";

/** What the provider knows about the stack that policy documents and env values need. */
export interface StackFacts {
  partition: string;
  region: string;
  accountId: string;
  /** The data bucket's name, when the stack has one. */
  dataBucket: string | undefined;
}

/**
 * The stack's function names, known from the manifest alone. Kept out of `StackFacts` because
 * every Output a benchmark derives walks and copies its whole value: with the names inside, that
 * was quadratic in the number of benchmarks.
 */
export interface StackNames {
  /** Deployed names of every function in the stack. */
  functions: readonly string[];
  /** Manifest function name -> deployed name. */
  deployedNames: ReadonlyMap<string, string>;
}

export interface BenchmarkArgs {
  spec: BenchmarkSpec;
  stack: pulumi.Output<StackFacts>;
  names: StackNames;
  /**
   * Where the image comes from. `build`: this benchmark builds it, and pushes it to `alsoTag` too
   * (the repositories of benchmarks with the identical build, when there are any). `digest`: a
   * sibling built it and pushed it to this benchmark's repository under its tag; use that digest.
   */
  image: { build: true; alsoTag?: pulumi.Output<string[]>; registryAuth: RegistryAuth } | { build: false; digest: pulumi.Output<string>; builtBy: pulumi.Resource };
}

/** ECR credentials for the account's registry: one token serves every repository in it. */
export interface RegistryAuth {
  userName: pulumi.Input<string>;
  /** A secret Output, so the token never shows in plain text in the state or a preview. */
  password: pulumi.Output<string>;
}

export const BENCHMARK_TYPE = "lambda-bench:index:Benchmark";

export class Benchmark extends pulumi.ComponentResource {
  readonly repository: aws.ecr.Repository;
  readonly image: dockerbuild.Image | undefined;
  /** The digest of the image this function runs (`sha256:...`). */
  readonly digest: pulumi.Output<string>;
  readonly imageUri: pulumi.Output<string>;
  readonly role: aws.iam.Role;
  readonly function: aws.lambda.Function;

  constructor(name: string, args: BenchmarkArgs, opts?: pulumi.ComponentResourceOptions) {
    super(BENCHMARK_TYPE, name, {}, opts);
    // A value derived from one Output uses its `apply`, not `interpolate`: that wraps every operand
    // in new Outputs first, and under the plan's mocks Outputs are most of a large manifest's cost.
    const { spec, names, stack } = args;
    const parent = { parent: this };

    this.repository = new aws.ecr.Repository(name, {
      name: spec.deployedRepo,
      // `pulumi destroy` must remove a repository that still holds images.
      forceDelete: true,
      imageScanningConfiguration: { scanOnPush: true },
      // Re-pushing the same tag on every build needs a mutable repository.
      imageTagMutability: "MUTABLE",
    }, parent);

    const repositoryUrl = this.repository.repositoryUrl;
    const ownTag = repositoryUrl.apply((url) => `${url}:${spec.tag}`);
    if (args.image.build) {
      this.image = buildImage(name, spec, this.repository, ownTag, args.image, this);
      this.digest = this.image.digest;
    } else {
      this.image = undefined;
      this.digest = args.image.digest;
    }
    // By digest: Lambda rejects docker-build's `ref` (repo:tag@digest), and a digest means a retag
    // never changes the function silently while every new build rolls it.
    // `all`, not an apply nested in an apply: the inner Output's resources are only known once the
    // outer value is, and a preview would not show the function waiting for its image.
    this.imageUri = pulumi.all([repositoryUrl, this.digest]).apply(([url, digest]) => `${url}@${digest}`);

    this.role = new aws.iam.Role(name, {
      assumeRolePolicy: JSON.stringify(LAMBDA_TRUST_POLICY),
      description: `lambda-bench: execution role of ${spec.deployedName}`,
    }, parent);
    const grants: pulumi.Resource[] = [
      new aws.iam.RolePolicyAttachment(`${name}-logs`, {
        role: this.role.name,
        policyArn: aws.iam.ManagedPolicy.AWSLambdaBasicExecutionRole,
      }, parent),
    ];
    for (const arn of managedPolicyArns(spec.policies)) {
      // Named after the policy, not its position, so reordering the list changes nothing.
      grants.push(new aws.iam.RolePolicyAttachment(`${name}-managed-${arn.split("/").pop()}`, {
        role: this.role.name,
        policyArn: arn,
      }, parent));
    }
    if (spec.policies.some((p) => p.name !== "managed")) {
      grants.push(new aws.iam.RolePolicy(`${name}-catalogue`, {
        role: this.role.name,
        policy: stack.apply((s) => JSON.stringify(inlinePolicy(spec.policies, {
          partition: s.partition,
          region: s.region,
          accountId: s.accountId,
          dataBucket: s.dataBucket,
          stackFunctions: names.functions,
          deployedName: (fn) => names.deployedNames.get(fn) ?? fn,
        }))),
      }, parent));
    }

    // Function references were resolved by the manifest; only `${bucket}` waits for the stack.
    const usesBucket = Object.values(spec.env).some((v) => v.includes("${bucket}"));
    const variables = !usesBucket ? spec.env : stack.apply((s) => Object.fromEntries(Object.entries(spec.env).map(([k, v]) =>
      [k, v.replaceAll("${bucket}", s.dataBucket ?? "")])));
    this.function = new aws.lambda.Function(name, {
      name: spec.deployedName,
      packageType: "Image",
      imageUri: this.imageUri,
      architectures: [spec.architecture],
      role: this.role.arn,
      memorySize: spec.memory,
      timeout: spec.timeout,
      ...(spec.ephemeralStorage !== undefined ? { ephemeralStorage: { size: spec.ephemeralStorage } } : {}),
      ...(Object.keys(spec.env).length > 0 ? { environment: { variables } } : {}),
    }, {
      parent: this,
      // The role must carry its policies before the function first runs; a sibling's image must
      // be pushed to this repository before the function points at it.
      dependsOn: args.image.build ? grants : [...grants, args.image.builtBy],
    });

    this.registerOutputs({
      repositoryUrl: this.repository.repositoryUrl,
      imageUri: this.imageUri,
      roleArn: this.role.arn,
      functionArn: this.function.arn,
    });
  }
}

/**
 * The docker-build Image for a benchmark: one platform, pushed to the benchmark's repository (and
 * those of benchmarks with the same build) with ECR credentials. One platform and the embedded
 * (non-exec) buildx keep the push a single-platform manifest without an attestation index,
 * which is the only kind Lambda accepts.
 */
function buildImage(
  name: string, spec: BenchmarkSpec, repository: aws.ecr.Repository, ownTag: pulumi.Output<string>,
  { alsoTag, registryAuth }: { alsoTag?: pulumi.Output<string[]>; registryAuth: RegistryAuth }, parent: pulumi.Resource,
): dockerbuild.Image {
  const cacheRef = repository.repositoryUrl.apply((url) => `${url}:buildcache`);
  return new dockerbuild.Image(name, {
    // Paths relative to the program's folder, so state does not change between checkouts.
    context: { location: relativeToProgram(spec.build.context) },
    dockerfile: { location: relativeToProgram(spec.build.dockerfile) },
    ...(Object.keys(spec.build.args).length > 0 ? { buildArgs: spec.build.args } : {}),
    ...(spec.build.target !== undefined ? { target: spec.build.target } : {}),
    platforms: [spec.platform as dockerbuild.Platform],
    push: true,
    tags: alsoTag ? pulumi.all([ownTag, alsoTag]).apply(([own, more]) => [own, ...more]) : [ownTag],
    registries: [{
      address: repository.repositoryUrl,
      username: registryAuth.userName,
      password: registryAuth.password,
    }],
    // ECR's registry cache needs an OCI image manifest, not a manifest list.
    cacheFrom: [{ registry: { ref: cacheRef } }],
    cacheTo: [{ registry: { ref: cacheRef, imageManifest: true, ociMediaTypes: true } }],
  }, { parent });
}

function relativeToProgram(p: string): string {
  return path.relative(process.cwd(), p) || ".";
}
