// Runs the real program under Pulumi's mocks and records what it registers: `lambda-bench plan`
// shows it, the tests assert on it. Preview mode knows what a real `pulumi preview` knows (inputs,
// and the names the provider's Check picks for autonamed resources) and leaves the rest unknown;
// "deployed" mode fills provider-computed outputs with plausible fakes so the wiring between
// resources (ARNs, digests, URLs) can be checked.
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { shortHash } from "../manifest/names";

export interface Registered {
  type: string;
  name: string;
  /** Logical name of the parent resource, or null for a top-level resource. */
  parent: string | null;
  /** The inputs as the provider sees them after Check (autonames filled in); unknown values are UNKNOWN. */
  inputs: Record<string, unknown>;
  /** The input the provider named, when it autonamed this resource (`name`, or `bucket` for S3). */
  autonamed: string | undefined;
  /** URNs this resource was known by before (its `aliases`), as the engine resolves them. */
  aliases: string[];
  /** Whether `pulumi destroy` (or a replacement) leaves the cloud resource in place. */
  retainOnDelete: boolean;
  /** Paths of the inputs registered as secrets (`registries[0].password`); `inputs` shows their values. */
  secrets: string[];
  /** The resources this one waits for (from its inputs' Outputs and `dependsOn`), as `type name`. */
  dependsOn: string[];
  urn: string;
}

export interface MockOptions {
  /** Fill provider-computed outputs (ARNs, URLs, digests) as if deployed. Default: false (preview). */
  deployed?: boolean;
  accountId?: string;
  region?: string;
  stack?: string;
  partition?: string;
}

/** How a value that is only known after deploy is shown, as `pulumi preview` shows it. */
export const UNKNOWN = "(known after deploy)";

/** The property each autonamed resource type gets from the provider, when the program sets none. */
const AUTONAMED: Record<string, string> = {
  "aws:iam/role:Role": "name",
  "aws:iam/rolePolicy:RolePolicy": "name",
  "aws:s3/bucket:Bucket": "bucket",
};

/**
 * The name Pulumi's autonamer gives a resource: its logical name, `-`, and 7 hex characters. The
 * real ones are random; these are seeded from the logical name, so a plan is the same every run.
 */
export function autoname(logicalName: string): string {
  return `${logicalName}-${shortHash(logicalName)}`;
}

export const FAKE_ACCOUNT = "123456789012";

/** The digest the mocks give an image: a hash of its build inputs, so tests can predict it. */
export function fakeDigest(inputs: Record<string, unknown>): string {
  const key = JSON.stringify([inputs.context, inputs.dockerfile, inputs.buildArgs ?? {}, inputs.target ?? null, inputs.platforms]);
  return `sha256:${createHash("sha256").update(key).digest("hex")}`;
}

class RecordingMocks implements pulumi.runtime.Mocks {
  readonly registered: Pick<Registered, "type" | "name" | "inputs" | "autonamed">[] = [];
  constructor(private readonly opts: Required<Omit<MockOptions, "stack">>) {}

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const field = AUTONAMED[args.type];
    const autonamed = field !== undefined && args.inputs[field] === undefined ? field : undefined;
    const inputs = autonamed ? { ...args.inputs, [autonamed]: autoname(args.name) } : args.inputs;
    this.registered.push({ type: args.type, name: args.name, inputs, autonamed });
    const id = `${args.name}-id`;
    return { id, state: this.opts.deployed ? { ...inputs, ...this.computed(args.type, inputs) } : inputs };
  }

  private computed(type: string, i: Record<string, any>): Record<string, unknown> {
    const { accountId, region, partition } = this.opts;
    switch (type) {
      case "aws:ecr/repository:Repository":
        return { repositoryUrl: `${accountId}.dkr.ecr.${region}.amazonaws.com/${i.name}`, registryId: accountId, arn: `arn:aws:ecr:${region}:${accountId}:repository/${i.name}` };
      case "docker-build:index:Image": {
        const digest = fakeDigest(i);
        return { digest, ref: `${(i.tags as string[])[0]}@${digest}` };
      }
      case "aws:iam/role:Role":
        return { arn: `arn:${partition}:iam::${accountId}:role/${i.name}` };
      case "aws:lambda/function:Function":
        return { arn: `arn:${partition}:lambda:${region}:${accountId}:function:${i.name}`, version: i.publish ? "1" : "$LATEST" };
      case "aws:lambda/alias:Alias":
        return { arn: `arn:${partition}:lambda:${region}:${accountId}:function:${i.functionName}:${i.name}` };
      case "aws:cloudwatch/logGroup:LogGroup":
        return { arn: `arn:${partition}:logs:${region}:${accountId}:log-group:${i.name}` };
      case "aws:s3/bucket:Bucket":
        return { arn: `arn:${partition}:s3:::${i.bucket}` };
      case "aws:sfn/stateMachine:StateMachine":
        return { arn: `arn:${partition}:states:${region}:${accountId}:stateMachine:${i.name}` };
      default:
        return {};
    }
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    const { accountId, region } = this.opts;
    switch (args.token) {
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return { accountId, arn: `arn:aws:iam::${accountId}:user/plan`, id: accountId, userId: "PLAN" };
      case "aws:index/getPartition:getPartition":
        return { partition: this.opts.partition, dnsSuffix: "amazonaws.com", id: this.opts.partition, reverseDnsPrefix: "com.amazonaws" };
      case "aws:index/getRegion:getRegion":
        return { region, name: region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
      case "aws:ecr/getAuthorizationToken:getAuthorizationToken":
        return { userName: "AWS", password: "<ecr-token>", authorizationToken: "<ecr-token>", proxyEndpoint: "", expiresAt: "", id: region };
      default:
        throw new Error(`the plan mocks do not answer ${args.token}`);
    }
  }
}

/**
 * Unknowns (preview) become UNKNOWN; secrets are shown by value (the mocks' are placeholders) and
 * their paths noted in `secrets`.
 */
function plain(value: unknown, path: string, secrets: string[]): unknown {
  if (pulumi.isUnknown(value)) return UNKNOWN;
  if (Array.isArray(value)) return value.map((v, i) => plain(v, `${path}[${i}]`, secrets));
  if (value !== null && typeof value === "object") {
    const v = value as Record<string, unknown>;
    if (v[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) {
      secrets.push(path);
      return plain(v.value, path, secrets);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v, path ? `${path}.${k}` : k, secrets)]));
  }
  return value;
}

/**
 * Runs `program` (sync or async) under fresh mocks and waits until every registration has settled. Returns the
 * registered resources, top-level first, each component followed by its children.
 */
export async function runUnderMocks(program: () => unknown, opts: MockOptions = {}): Promise<Registered[]> {
  const mocks = new RecordingMocks({
    deployed: opts.deployed ?? false, accountId: opts.accountId ?? FAKE_ACCOUNT, region: opts.region ?? "us-east-1", partition: opts.partition ?? "aws",
  });
  await pulumi.runtime.setMocks(mocks, "lambda-bench", opts.stack ?? "plan", !(opts.deployed ?? false));
  // The mocks are not told a resource's parent and dependencies; the monitor's request carries
  // them, so note them there.
  const requests = new Map<string, { parent: string; dependencies: string[]; aliases: AliasRequest[]; retain: boolean }>();
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, cb: (err: unknown, resp?: { getUrn(): string }) => void): Promise<void>;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => register(req, (err, resp) => {
    if (resp) {
      requests.set(resp.getUrn(), {
        parent: req.getParent(), dependencies: req.getDependenciesList(), aliases: req.getAliasesList?.() ?? [], retain: req.getRetainondelete?.() ?? false,
      });
    }
    cb(err, resp);
  });

  // The SDK records a stack trace on every internal promise, for a leak report that a mocked run
  // never prints; on a large manifest that is most of the time and memory. Off unless asked for.
  const stackTraceLimit = Error.stackTraceLimit;
  if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) Error.stackTraceLimit = 0;
  try {
    await program();
    await pulumi.runtime.disconnect();
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }

  for (const r of mocks.registered) {
    // Assets are top-level inputs (a function's `code`); most resources have none and cost nothing here.
    const assets = Object.keys(r.inputs).filter((k) => pulumi.asset.Archive.isInstance(r.inputs[k]) || pulumi.asset.Asset.isInstance(r.inputs[k]));
    for (const k of assets) r.inputs = { ...r.inputs, [k]: await describeAssets(r.inputs[k]) };
  }
  const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
  const byKey = new Map<string, string>([...requests.keys()].map((urn) => [`${typeOfUrn(urn)}::${nameOf(urn)}`, urn]));
  const resources = mocks.registered.map((r): Registered => {
    const urn = byKey.get(`${r.type}::${r.name}`) ?? "";
    const { parent, dependencies, aliases, retain } = requests.get(urn) ?? { parent: "", dependencies: [], aliases: [], retain: false };
    const secrets: string[] = [];
    const inputs = plain(r.inputs, "", secrets) as Record<string, unknown>;
    const dependsOn = dependencies.map((d) => `${typeOfUrn(d)} ${nameOf(d)}`).sort();
    return {
      type: r.type, name: r.name, parent: parent ? nameOf(parent) : null, inputs, autonamed: r.autonamed, secrets, dependsOn, urn,
      aliases: aliases.map((a) => aliasUrn(a, urn, parent)), retainOnDelete: retain,
    };
  });
  const order = (r: Registered) => [r.parent ?? r.name, r.parent === null ? "0" : "1", r.type, r.name].join("\u0000");
  const keyed = resources.map((r) => ({ r, key: order(r) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map(({ r }) => r);
}

/**
 * Code archives (the generator driver's zip) as a plan shows them: each file's size and SHA-256,
 * not its text, which can be megabytes. The mocks receive the SDK's objects, whose contents are
 * promises.
 */
async function describeAssets(value: unknown): Promise<unknown> {
  if (pulumi.asset.Archive.isInstance(value)) {
    const assets = (value as pulumi.asset.AssetArchive).assets;
    if (assets === undefined) return { archive: "(a file or remote archive)" };
    const files = await assets;
    return { archive: Object.fromEntries(await Promise.all(Object.keys(files).sort().map(async (k) => [k, await describeAssets(files[k])]))) };
  }
  if (pulumi.asset.Asset.isInstance(value)) {
    const text = await (value as pulumi.asset.StringAsset).text;
    if (text === undefined) return "(a file or remote asset)";
    return { bytes: Buffer.byteLength(text), sha256: createHash("sha256").update(text).digest("hex") };
  }
  return value;
}

function typeOfUrn(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.slice(qualified.lastIndexOf("$") + 1);
}

interface AliasRequest {
  getUrn(): string;
  getSpec(): { getName(): string; getType(): string; getParenturn(): string; getNoparent(): boolean } | undefined;
}
interface RegisterRequest {
  getParent(): string;
  getDependenciesList(): string[];
  getAliasesList?(): AliasRequest[];
  getRetainondelete?(): boolean;
}

/** The URN an alias stands for, as the engine computes it from the spec the SDK sent. */
function aliasUrn(alias: AliasRequest, urn: string, parent: string): string {
  const spec = alias.getSpec();
  if (!spec) return alias.getUrn();
  const head = urn.slice(0, urn.indexOf("::", urn.indexOf("::") + 2)); // urn:pulumi:<stack>::<project>
  const type = spec.getType() || typeOfUrn(urn);
  const parentUrn = spec.getNoparent() ? "" : spec.getParenturn() || parent;
  const parentTypes = parentUrn ? (parentUrn.split("::")[2] ?? "") : "";
  const name = spec.getName() || urn.slice(urn.lastIndexOf("::") + 2);
  return `${head}::${parentTypes ? `${parentTypes}$` : ""}${type}::${name}`;
}
