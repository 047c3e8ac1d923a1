// Runs the real program under Pulumi's mocks and records what it registers: `lambda-bench plan`
// shows it, the tests assert on it. Preview mode leaves provider-computed outputs unknown, as a
// real `pulumi preview` does; "deployed" mode fills them with plausible fakes so the wiring
// between resources (ARNs, digests, URLs) can be checked.
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";

export interface Registered {
  type: string;
  name: string;
  /** Logical name of the parent resource, or null for a top-level resource. */
  parent: string | null;
  /** The inputs as registered; unknown values are null. */
  inputs: Record<string, unknown>;
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
}

export const FAKE_ACCOUNT = "123456789012";

/** The digest the mocks give an image: a hash of its build inputs, so tests can predict it. */
export function fakeDigest(inputs: Record<string, unknown>): string {
  const key = JSON.stringify([inputs.context, inputs.dockerfile, inputs.buildArgs ?? {}, inputs.target ?? null, inputs.platforms]);
  return `sha256:${createHash("sha256").update(key).digest("hex")}`;
}

class RecordingMocks implements pulumi.runtime.Mocks {
  readonly registered: Pick<Registered, "type" | "name" | "inputs">[] = [];
  constructor(private readonly opts: Required<Omit<MockOptions, "stack">>) {}

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    this.registered.push({ type: args.type, name: args.name, inputs: args.inputs });
    const id = `${args.name}-id`;
    return { id, state: this.opts.deployed ? { ...args.inputs, ...this.computed(args) } : args.inputs };
  }

  private computed(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
    const { accountId, region } = this.opts;
    const i = args.inputs;
    switch (args.type) {
      case "aws:ecr/repository:Repository":
        return { repositoryUrl: `${accountId}.dkr.ecr.${region}.amazonaws.com/${i.name}`, registryId: accountId, arn: `arn:aws:ecr:${region}:${accountId}:repository/${i.name}` };
      case "docker-build:index:Image": {
        const digest = fakeDigest(i);
        return { digest, ref: `${(i.tags as string[])[0]}@${digest}` };
      }
      case "aws:iam/role:Role":
        return { name: `${args.name}-0a1b2c3`, arn: `arn:aws:iam::${accountId}:role/${args.name}-0a1b2c3` };
      case "aws:lambda/function:Function":
        return { arn: `arn:aws:lambda:${region}:${accountId}:function:${i.name}` };
      case "aws:s3/bucket:Bucket":
        return { bucket: `${args.name}-0a1b2c3`, arn: `arn:aws:s3:::${args.name}-0a1b2c3` };
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
        return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws", reverseDnsPrefix: "com.amazonaws" };
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
 * Unknowns (preview) become null; secrets are shown by value (the mocks' are placeholders) and
 * their paths noted in `secrets`.
 */
function plain(value: unknown, path: string, secrets: string[]): unknown {
  if (pulumi.isUnknown(value)) return null;
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
  const mocks = new RecordingMocks({ deployed: opts.deployed ?? false, accountId: opts.accountId ?? FAKE_ACCOUNT, region: opts.region ?? "us-east-1" });
  await pulumi.runtime.setMocks(mocks, "lambda-bench", opts.stack ?? "plan", !(opts.deployed ?? false));
  // The mocks are not told a resource's parent and dependencies; the monitor's request carries
  // them, so note them there.
  const requests = new Map<string, { parent: string; dependencies: string[] }>();
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: { getParent(): string; getDependenciesList(): string[] }, cb: (err: unknown, resp?: { getUrn(): string }) => void): Promise<void>;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => register(req, (err, resp) => {
    if (resp) requests.set(resp.getUrn(), { parent: req.getParent(), dependencies: req.getDependenciesList() });
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

  const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
  const byKey = new Map<string, string>([...requests.keys()].map((urn) => [`${typeOfUrn(urn)}::${nameOf(urn)}`, urn]));
  const resources = mocks.registered.map((r): Registered => {
    const urn = byKey.get(`${r.type}::${r.name}`) ?? "";
    const { parent, dependencies } = requests.get(urn) ?? { parent: "", dependencies: [] };
    const secrets: string[] = [];
    const inputs = plain(r.inputs, "", secrets) as Record<string, unknown>;
    const dependsOn = dependencies.map((d) => `${typeOfUrn(d)} ${nameOf(d)}`).sort();
    return { type: r.type, name: r.name, parent: parent ? nameOf(parent) : null, inputs, secrets, dependsOn, urn };
  });
  const order = (r: Registered) => [r.parent ?? r.name, r.parent === null ? "0" : "1", r.type, r.name].join("\u0000");
  const keyed = resources.map((r) => ({ r, key: order(r) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map(({ r }) => r);
}

function typeOfUrn(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.slice(qualified.lastIndexOf("$") + 1);
}
