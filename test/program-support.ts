// Shared by the program tests: a multi-benchmark manifest, running it under mocks, and finders.
import { strict as assert } from "node:assert";
import { loadManifest } from "../src/manifest/load";
import { FAKE_ACCOUNT, runUnderMocks, type MockOptions, type Registered } from "../src/deploy/mocks";
import { defineStack, type StackOptions } from "../src/deploy/program";
import { manifestFile, workspace, yaml } from "./fixtures";

export const REGION = "eu-west-1";

export const MANIFEST = yaml`
  defaults:
    platform: linux/arm64
    memory: 512
    env: { IS_LAMBDA: "true", LEVEL: 1 }
  benchmarks:
    - function: driver
      build: { context: app, dockerfile: docker/Dockerfile.Lambda, args: { target_arg: driver } }
      timeout: 300
      ephemeralStorage: 1024
      policies:
        - access_s3
        - invoke_function: [mapper]
      env:
        MAPPER: \${function:mapper}
        BUCKET: \${bucket}
        LEVEL: 2
    - function: mapper
      build: { context: app, dockerfile: docker/Dockerfile.Lambda, args: { target_arg: mapper } }
      platform: linux/amd64
      policies: [access_s3, { managed: [arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess] }]
    - function: aes
      repo: bench/aes
      tag: v1
      build: { context: other }
    - function: aes-big
      memory: 2048
      build: { context: other }
`;

/** The same benchmarks, listed in another order. */
export function reordered(text: string): string {
  const [head, body] = text.split("benchmarks:\n");
  const items = body.split(/\n(?=  - function:)/).map((s) => s.replace(/\n*$/, ""));
  return `${head}benchmarks:\n${[items[3], items[1], items[0], items[2]].join("\n")}\n`;
}

export async function deploy(
  text: string, dir = workspace(), namePrefix = "", opts: { stack?: StackOptions; mocks?: MockOptions } = {},
): Promise<Registered[]> {
  const file = manifestFile(text, dir);
  const manifest = loadManifest(file, { namePrefix });
  const cwd = process.cwd();
  process.chdir(dir); // Pulumi runs the program in the project folder
  try {
    return await runUnderMocks(() => defineStack(manifest, namePrefix, opts.stack), { deployed: true, region: REGION, ...opts.mocks });
  } finally {
    process.chdir(cwd);
  }
}

export const find = (rs: Registered[], type: string, name: string): Registered => {
  const r = rs.find((x) => x.type === type && x.name === name);
  assert.ok(r, `no ${type} named ${name}; have ${rs.map((x) => `${x.type}/${x.name}`).join(", ")}`);
  return r;
};
export const T = {
  bench: "lambda-bench:index:Benchmark",
  repo: "aws:ecr/repository:Repository",
  image: "docker-build:index:Image",
  role: "aws:iam/role:Role",
  attach: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  policy: "aws:iam/rolePolicy:RolePolicy",
  fn: "aws:lambda/function:Function",
  bucket: "aws:s3/bucket:Bucket",
  lifecycle: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  alias: "aws:lambda/alias:Alias",
  provisioned: "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig",
};
/** The image's registry password is secret, or a value holding it is (the SDK may mark the list). */
export const coversToken = (image: Registered) => image.secrets.some((p) => "registries[0].password".startsWith(p));
/** What AWS would see of each resource, without the URN (it names the stack). */
export const view = (rs: Registered[]) => rs.map(({ type, name, parent, inputs, secrets, dependsOn }) => ({ type, name, parent, inputs, secrets, dependsOn }));

/** index.ts afresh (it reads its config when run), as the SDK loads it: its export is the program. */
export function loadProgram(): () => Promise<Record<string, unknown>> {
  const entry = require.resolve("../index");
  delete require.cache[entry];
  return require(entry);
}
export const repoUrl = (name: string) => `${FAKE_ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${name}`;
/** The Image that pushes `repo:tag`; its logical name comes from the build, so tests find it by tag. */
export function imageOf(rs: Registered[], repo: string, tag = "latest"): Registered {
  const ref = `${repoUrl(repo)}:${tag}`;
  const r = rs.find((x) => x.type === T.image && (x.inputs.tags as string[]).includes(ref));
  assert.ok(r, `no Image pushes ${ref}`);
  return r;
}
export { yaml };

