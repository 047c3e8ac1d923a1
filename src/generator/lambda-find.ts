// Finding the Lambda generator a stack deployed (issue 28): its state machine is
// stateMachineName(namePrefix) in the caller's account and region (STS GetCallerIdentity; the
// partition from the region), and its tags (objects.ts GENERATOR_TAGS) name the rest: the bucket,
// the driver, its memory and architecture, the window and the version. The clients for Step
// Functions, S3 and STS share one endpoint: the generator's (`--generator-endpoint`, else
// `--endpoint`), since moto serves all three on one port while the stand-in serves Lambda only.
import { DescribeStateMachineCommand, ListTagsForResourceCommand, SFNClient } from "@aws-sdk/client-sfn";
import { S3Client } from "@aws-sdk/client-s3";
import { awsClientConfig, type AwsOptions } from "../aws/lambda";
import { callerIdentity } from "../aws/sts";
import { stateMachineArn } from "../manifest/generator-policies";
import { GENERATOR_TAGS, stateMachineName, WINDOW_MAX_MS } from "./objects";
import { MAX_SHARDS } from "../workload/segments";

/** Where the generator's Step Functions, S3 and STS are: `endpoint` an emulator's, if not AWS's. */
export type GeneratorAws = AwsOptions;

export interface GeneratorClients {
  sfn: SFNClient;
  s3: S3Client;
  /** The configuration both share (aws/lambda.ts awsClientConfig): STS is asked with it too. */
  config: ReturnType<typeof awsClientConfig>;
  destroy(): void;
}

export function generatorClients(o: GeneratorAws): GeneratorClients {
  const config = awsClientConfig(o);
  const sfn = new SFNClient(config);
  // Path-style: an emulator's bucket is no host name of its own.
  const s3 = new S3Client({ ...config, forcePathStyle: o.endpoint !== undefined });
  return { sfn, s3, config, destroy: () => { sfn.destroy(); s3.destroy(); } };
}

/** What the tags of a deployed generator say, with where it is. */
export interface Generator {
  region: string;
  stateMachineArn: string;
  bucket: string;
  /** The driver function's name or ARN. */
  driver: string;
  memoryMb: number;
  architecture: string;
  windowMs: number;
  version: string;
  /** The stack's generator.maxShards (its tag), when the stack tags it. */
  maxShards: number | null;
}

/** A generator that cannot be used: one line. */
export class GeneratorError extends Error {}

/** The partition a region is in (arn:<partition>:...). */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export const notDeployed = (region: string) =>
  `no generator in ${region}: add \`generator:\` to the manifest and \`pulumi up\``;

/** Finds the stack's generator; throws a GeneratorError (one line) when it is absent or its tags are not ours. */
export async function findGenerator(clients: GeneratorClients, namePrefix: string): Promise<Generator> {
  const { config } = clients;
  const region = config.region;
  if (!region) throw new GeneratorError("no AWS region: pass --region or set AWS_REGION");
  const id = await callerIdentity({ ...config, region }).catch((err: Error) => {
    throw new GeneratorError(`sts:GetCallerIdentity failed in ${region}: ${(err.message || err.name).split("\n")[0]}`);
  });
  if (!id.account) throw new GeneratorError(`sts:GetCallerIdentity in ${region} named no account`);
  const arn = stateMachineArn({ partition: partitionOf(region), region, accountId: id.account }, stateMachineName(namePrefix));
  try {
    await clients.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
  } catch (err) {
    if ((err as Error).name === "StateMachineDoesNotExist") throw new GeneratorError(notDeployed(region));
    throw new GeneratorError(`states:DescribeStateMachine ${arn}: ${((err as Error).message || (err as Error).name).split("\n")[0]}`);
  }
  const listed = await clients.sfn.send(new ListTagsForResourceCommand({ resourceArn: arn }));
  const tags = Object.fromEntries((listed.tags ?? []).map((t) => [t.key ?? "", t.value ?? ""]));
  const tag = (k: keyof typeof GENERATOR_TAGS) => {
    const v = tags[GENERATOR_TAGS[k]];
    if (!v) throw new GeneratorError(`${arn} has no tag ${GENERATOR_TAGS[k]}: redeploy the stack with \`pulumi up\``);
    return v;
  };
  const number = (k: keyof typeof GENERATOR_TAGS, max: number) => {
    const v = Number(tag(k));
    if (!Number.isInteger(v) || v <= 0 || v > max) throw new GeneratorError(`${arn}'s tag ${GENERATOR_TAGS[k]} is ${JSON.stringify(tags[GENERATOR_TAGS[k]])}: not a whole number from 1 to ${max}`);
    return v;
  };
  return {
    region, stateMachineArn: arn, bucket: tag("bucket"), driver: tag("driver"),
    memoryMb: number("driverMemory", 10_240), architecture: tag("driverArchitecture"),
    windowMs: number("windowSeconds", WINDOW_MAX_MS / 1000) * 1000, version: tag("version"),
    maxShards: tags[GENERATOR_TAGS.maxShards] ? number("maxShards", MAX_SHARDS) : null,
  };
}
