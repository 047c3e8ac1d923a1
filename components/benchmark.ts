// One benchmark of the manifest as AWS resources: an IAM role with the catalogue's policies, the
// function's log group, and the Lambda function running its image by digest (with, when it asks
// for provisioned concurrency, a published version and the `live` alias). The repository and the
// image belong to the stack, since benchmarks share them.
import * as aws from "@pulumi/aws";
import * as dockerbuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import { explicitRoleName, logGroupName } from "../src/manifest/names";
import type { Benchmark as BenchmarkSpec } from "../src/manifest/schema";
import {
  inlinePolicy, LAMBDA_TRUST_POLICY, managedAttachmentName, managedPolicyArns, STACK_TAG_KEY,
} from "../src/manifest/policies";
import { BENCHMARK_TYPE, formerChildUrn } from "./repository";

export { BENCHMARK_TYPE };

/** What the provider knows about the stack that policy documents and env values need. */
export interface StackFacts {
  partition: string;
  region: string;
  accountId: string;
  /** The data bucket's name, when the stack has one. */
  dataBucket: string | undefined;
}

/** What every benchmark of the stack shares, known without the provider. */
export interface StackNames {
  /** Manifest function name -> deployed name. */
  deployedNames: ReadonlyMap<string, string>;
  /** `<project>/<stack>`: the value of every function's STACK_TAG_KEY tag, and a seed of role names. */
  stackId: string;
}

export interface BenchmarkArgs {
  spec: BenchmarkSpec;
  stack: pulumi.Output<StackFacts>;
  names: StackNames;
  repositoryUrl: pulumi.Output<string>;
  /** The stack's Image of this benchmark's build, and the digest it pushed. */
  image: dockerbuild.Image;
  /** AWSLambdaBasicExecutionRole in the stack's partition: one Output shared by every benchmark. */
  basicExecutionArn: pulumi.Output<string>;
}

const ATTACHMENT_TYPE = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";

/** The alias that provisioned concurrency is configured on. */
export const LIVE_ALIAS = "live";

export class Benchmark extends pulumi.ComponentResource {
  readonly imageUri: pulumi.Output<string>;
  readonly role: aws.iam.Role;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly function: aws.lambda.Function;
  readonly alias: aws.lambda.Alias | undefined;

  constructor(name: string, args: BenchmarkArgs, opts?: pulumi.ComponentResourceOptions) {
    super(BENCHMARK_TYPE, name, {}, opts);
    // A value derived from one Output uses its `apply`, not `interpolate`: that wraps every operand
    // in new Outputs first, and under the plan's mocks Outputs are most of a large manifest's cost.
    const { spec, names, stack } = args;
    const parent = { parent: this };

    // By digest: Lambda rejects docker-build's `ref` (repo:tag@digest), and a digest means a retag
    // never changes the function silently while every new build rolls it.
    // Nested applies make two Outputs where `pulumi.all` makes six.
    this.imageUri = args.repositoryUrl.apply((url) => args.image.digest.apply((digest) => `${url}@${digest}`));

    // Autonamed (`<function>-<7 hex>`) unless that would pass IAM's 64 characters.
    const roleName = explicitRoleName(spec.function, spec.deployedName, names.stackId);
    this.role = new aws.iam.Role(name, {
      ...(roleName ? { name: roleName } : {}),
      assumeRolePolicy: JSON.stringify(LAMBDA_TRUST_POLICY),
      description: `lambda-bench: execution role of ${spec.deployedName}`,
    }, parent);
    const grants: pulumi.Resource[] = [
      new aws.iam.RolePolicyAttachment(`${name}-logs`, {
        role: this.role.name,
        policyArn: args.basicExecutionArn,
      }, parent),
    ];
    const managed = managedPolicyArns(spec.policies);
    for (const arn of managed) {
      // Named after the policy's owner, path and name, so reordering the list changes nothing and
      // no two collide. The old name (the last segment) is an alias when it was unambiguous.
      const { name: attachment, oldName } = managedAttachmentName(name, arn);
      const unambiguous = managed.filter((a) => managedAttachmentName(name, a).oldName === oldName).length === 1;
      grants.push(new aws.iam.RolePolicyAttachment(attachment, { role: this.role.name, policyArn: arn }, {
        parent: this, ...(unambiguous ? { aliases: [formerChildUrn(oldName, ATTACHMENT_TYPE)] } : {}),
      }));
    }
    if (spec.policies.some((p) => p.name !== "managed")) {
      grants.push(new aws.iam.RolePolicy(`${name}-catalogue`, {
        role: this.role.name,
        policy: stack.apply((s) => JSON.stringify(inlinePolicy(spec.policies, {
          partition: s.partition,
          region: s.region,
          accountId: s.accountId,
          dataBucket: s.dataBucket,
          stackTag: { key: STACK_TAG_KEY, value: names.stackId },
          deployedName: (fn) => names.deployedNames.get(fn) ?? fn,
        }))),
      }, parent));
    }

    // Owned by the stack, so `pulumi destroy` removes the logs, and created before the function,
    // before Lambda would create it on the first call with no retention.
    const group = logGroupName(spec.deployedName);
    this.logGroup = new aws.cloudwatch.LogGroup(name, { name: group, retentionInDays: spec.logRetention }, parent);

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
      // Always sent: the attribute is optional and computed, so leaving it out would keep the old size.
      ephemeralStorage: { size: spec.ephemeralStorage ?? 512 },
      loggingConfig: { logFormat: spec.logFormat, logGroup: group },
      // What bare invoke_function grants on (one ABAC statement for the whole stack).
      tags: { [STACK_TAG_KEY]: names.stackId },
      ...(spec.provisionedConcurrency !== undefined ? { publish: true } : {}),
      // Left out when unset: the provider's default is -1, the unreserved pool.
      ...(spec.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: spec.reservedConcurrency } : {}),
      ...(Object.keys(spec.env).length > 0 ? { environment: { variables } } : {}),
    }, {
      parent: this,
      // The role must carry its policies before the function first runs, and the image must be
      // pushed to this benchmark's repository and tag before the function points at it.
      dependsOn: [this.logGroup, ...grants, args.image],
    });

    if (spec.provisionedConcurrency !== undefined) {
      this.alias = new aws.lambda.Alias(`${name}-${LIVE_ALIAS}`, {
        name: LIVE_ALIAS,
        functionName: this.function.name,
        functionVersion: this.function.version,
      }, parent);
      new aws.lambda.ProvisionedConcurrencyConfig(`${name}-${LIVE_ALIAS}`, {
        functionName: this.function.name,
        qualifier: this.alias.name,
        provisionedConcurrentExecutions: spec.provisionedConcurrency,
      }, parent);
    }

    this.registerOutputs({
      imageUri: this.imageUri,
      roleArn: this.role.arn,
      functionArn: this.function.arn,
    });
  }
}
