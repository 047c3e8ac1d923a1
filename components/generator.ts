// The Lambda generator (issue 28) as AWS resources: the driver function with its role, policies and
// log group, and the Step Functions state machine (src/generator/state-machine.ts) with its role.
// Declared by the program when the manifest has a `generator:` section. Read the constructor as a
// list of children, each parented to the component.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DRIVER_BUCKET_ENV, GENERATOR_TAGS } from "../src/generator/objects";
import { stateMachineDefinition } from "../src/generator/state-machine";
import type { GeneratorSpec } from "../src/manifest/generator";
import {
  driverPolicy, functionArn, stateMachinePolicy, statesTrustPolicy,
} from "../src/manifest/generator-policies";
import { logGroupName } from "../src/manifest/names";
import { LAMBDA_TRUST_POLICY, STACK_TAG_KEY } from "../src/manifest/policies";
import type { StackFacts } from "./benchmark";

export const GENERATOR_TYPE = "lambda-bench:index:Generator";
/** The component's logical name (one generator a stack). */
export const GENERATOR_NAME = "generator";
/** Days the driver's logs are kept. */
export const DRIVER_LOG_RETENTION = 14;

export interface GeneratorArgs {
  spec: GeneratorSpec;
  /** The stack's facts; `dataBucket` is the stack's bucket, which the program creates for the generator. */
  stack: pulumi.Output<StackFacts>;
  /** `<project>/<stack>`: the STACK_TAG_KEY value the driver may invoke on, and which it carries. */
  stackId: string;
  /** AWSLambdaBasicExecutionRole in the stack's partition. */
  basicExecutionArn: pulumi.Output<string>;
  /** The driver's code: src/generator/bundle.ts driverBundle(). */
  bundle: string;
  /** This checkout's package.json version, tagged on the state machine. */
  version: string;
}

export class Generator extends pulumi.ComponentResource {
  readonly driver: aws.lambda.Function;
  readonly driverRole: aws.iam.Role;
  readonly stateMachine: aws.sfn.StateMachine;
  readonly stateMachineRole: aws.iam.Role;
  readonly bucket: pulumi.Output<string>;

  constructor(name: string, args: GeneratorArgs, opts?: pulumi.ComponentResourceOptions) {
    super(GENERATOR_TYPE, name, {}, opts);
    const { spec, stack } = args;
    const parent = { parent: this };
    const stackTag = { key: STACK_TAG_KEY, value: args.stackId };
    this.bucket = stack.apply((s) => bucketOf(s));
    // Both ARNs come from names, not from the resources' outputs, so a preview (and `plan`) shows
    // every statement; the state machine still waits for the driver through dependsOn.
    const driverArn = stack.apply((s) => functionArn(s, spec.driverName));

    // The driver's role: its logs, and one inline policy (invoke this stack's functions by tag;
    // read and write only runs/ of the bucket).
    this.driverRole = new aws.iam.Role(`${name}-driver`, {
      assumeRolePolicy: JSON.stringify(LAMBDA_TRUST_POLICY),
      description: `lambda-bench: execution role of the generator's driver ${spec.driverName}`,
    }, parent);
    const driverLogs = new aws.iam.RolePolicyAttachment(`${name}-driver-logs`, {
      role: this.driverRole.name, policyArn: args.basicExecutionArn,
    }, parent);
    const driverGrants = new aws.iam.RolePolicy(`${name}-driver`, {
      role: this.driverRole.name,
      policy: stack.apply((s) => JSON.stringify(driverPolicy({ ...s, bucket: bucketOf(s), stackTag }))),
    }, parent);

    // Owned by the stack and created before the function, as a benchmark's is.
    const group = logGroupName(spec.driverName);
    const logGroup = new aws.cloudwatch.LogGroup(`${name}-driver`, { name: group, retentionInDays: DRIVER_LOG_RETENTION }, parent);

    // A zip, not an image: the driver needs no Docker build, its bundle is small and starts cold
    // fast, and its code is exactly this checkout's engine (esbuild, src/generator/bundle.ts).
    this.driver = new aws.lambda.Function(`${name}-driver`, {
      name: spec.driverName,
      runtime: "nodejs22.x",
      handler: "index.handler",
      code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(args.bundle) }),
      architectures: [spec.architecture],
      role: this.driverRole.arn,
      memorySize: spec.memory,
      // Lambda's most: a window is at most 840 s, with the lead and the drain around it.
      timeout: 900,
      ephemeralStorage: { size: 512 },
      loggingConfig: { logFormat: "Text", logGroup: group },
      environment: { variables: { [DRIVER_BUCKET_ENV]: this.bucket } },
      tags: { [STACK_TAG_KEY]: args.stackId },
    }, { parent: this, dependsOn: [logGroup, driverLogs, driverGrants] });

    // The state machine's role: Step Functions of this account only; invoke only the driver, read
    // only runs/, and run its own Map children.
    this.stateMachineRole = new aws.iam.Role(`${name}-states`, {
      assumeRolePolicy: stack.apply((s) => JSON.stringify(statesTrustPolicy(s.accountId))),
      description: `lambda-bench: role of the generator's state machine ${spec.stateMachineName}`,
    }, parent);
    const statesGrants = new aws.iam.RolePolicy(`${name}-states`, {
      role: this.stateMachineRole.name,
      policy: stack.apply((s) => JSON.stringify(stateMachinePolicy({
        ...s, bucket: bucketOf(s), driverArn: functionArn(s, spec.driverName), stateMachineName: spec.stateMachineName,
      }))),
    }, parent);

    this.stateMachine = new aws.sfn.StateMachine(name, {
      name: spec.stateMachineName,
      type: "STANDARD",
      roleArn: this.stateMachineRole.arn,
      definition: pulumi.all([driverArn, this.bucket]).apply(([arn, bucket]) => JSON.stringify(stateMachineDefinition({ driverArn: arn, bucket }))),
      // What the CLI reads to find the rest of the generator.
      tags: this.bucket.apply((bucket) => ({
        [GENERATOR_TAGS.bucket]: bucket,
        [GENERATOR_TAGS.driver]: spec.driverName,
        [GENERATOR_TAGS.driverMemory]: String(spec.memory),
        [GENERATOR_TAGS.driverArchitecture]: spec.architecture,
        [GENERATOR_TAGS.windowSeconds]: String(spec.windowSeconds),
        [GENERATOR_TAGS.maxShards]: String(spec.maxShards),
        [GENERATOR_TAGS.version]: args.version,
        [STACK_TAG_KEY]: args.stackId,
      })),
    }, { parent: this, dependsOn: [this.driver, statesGrants] });

    this.registerOutputs({ stateMachineArn: this.stateMachine.arn, driverArn: this.driver.arn });
  }
}

function bucketOf(s: StackFacts): string {
  if (s.dataBucket === undefined) throw new Error("the generator needs the stack's bucket");
  return s.dataBucket;
}
