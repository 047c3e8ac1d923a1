// The Lambda generator deployed on moto_server for the tests (issue 28): a driver function, the
// stack's bucket, and the real state machine definition (src/generator/state-machine.ts) under
// its real name and tags (objects.ts), with moto's Step Functions execution switched on; and the
// driver answers a Drive task gets (moto's lambda-simple queue: moto runs no Lambda code).
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateStateMachineCommand, SFNClient } from "@aws-sdk/client-sfn";
import { stateMachineDefinition } from "../src/generator/state-machine";
import { GENERATOR_TAGS, stateMachineName } from "../src/generator/objects";
import { TEST_CREDENTIALS, TEST_REGION } from "../src/standin/moto";

export const ACCOUNT = "123456789012";
export const BUCKET = "lambda-bench-generator-test";

export const motoConfig = (endpoint: string) => ({ endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS, forcePathStyle: true });

async function post(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, { method: "POST", body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
}

/** Forgets every resource and execution (moto runs one execution per account and region), then turns execution on. */
export async function resetMoto(endpoint: string): Promise<void> {
  await post(`${endpoint}/moto-api/reset`, {});
  await post(`${endpoint}/moto-api/config`, { stepfunctions: { execute_state_machine: true }, lambda: { use_docker: false } });
}

/** Queues what the next Lambda invocations (the Drive tasks, in order) answer. */
export async function queueDriverAnswers(endpoint: string, answers: readonly unknown[]): Promise<void> {
  await post(`${endpoint}/moto-api/static/lambda-simple/response`, { account_id: ACCOUNT, region: TEST_REGION, results: answers.map((a) => JSON.stringify(a)) });
}

export interface Deployed { stateMachineArn: string; driverArn: string }

/** Deploys the generator, tagged as the stack tags it (maxShards only when given). */
export async function deployGenerator(endpoint: string, opts: { memoryMb?: number; windowSeconds?: number; name?: string; maxShards?: number } = {}): Promise<Deployed> {
  const cfg = motoConfig(endpoint);
  const iam = new IAMClient(cfg);
  const lambda = new LambdaClient(cfg);
  const s3 = new S3Client(cfg);
  const sfn = new SFNClient(cfg);
  try {
    const role = await iam.send(new CreateRoleCommand({ RoleName: "generator", AssumeRolePolicyDocument: "{}" }));
    const fn = await lambda.send(new CreateFunctionCommand({
      FunctionName: "lambda-bench-driver", Role: role.Role!.Arn!, Runtime: "nodejs22.x", Handler: "index.handler", Code: { ZipFile: Buffer.from("stub") },
    }));
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const tags = {
      bucket: BUCKET, driver: fn.FunctionArn!, driverMemory: String(opts.memoryMb ?? 1769), driverArchitecture: "x86_64",
      windowSeconds: String(opts.windowSeconds ?? 840), version: "0.0.0-test",
      ...(opts.maxShards !== undefined ? { maxShards: String(opts.maxShards) } : {}),
    };
    const sm = await sfn.send(new CreateStateMachineCommand({
      name: opts.name ?? stateMachineName(""), roleArn: role.Role!.Arn!,
      definition: JSON.stringify(stateMachineDefinition({ driverArn: fn.FunctionArn!, bucket: BUCKET })),
      tags: Object.entries(tags).map(([k, value]) => ({ key: GENERATOR_TAGS[k as keyof typeof GENERATOR_TAGS], value })),
    }));
    return { stateMachineArn: sm.stateMachineArn!, driverArn: fn.FunctionArn! };
  } finally {
    for (const c of [iam, lambda, s3, sfn]) c.destroy();
  }
}

/** The bucket's keys under a prefix. */
export async function listKeys(s3: S3Client, prefix = ""): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

export async function getText(s3: S3Client, key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return out.Body!.transformToString();
}

export async function putText(s3: S3Client, key: string, body: string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.from(body), ContentLength: Buffer.byteLength(body) }));
}
