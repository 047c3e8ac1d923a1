// The stand-in's own Lambda control plane (and STS's GetCallerIdentity), so `demo` and `try-server`
// need nothing but Node: the calls `measure --cold`, `sweep`, `idle`, provenance and `doctor` make,
// answered with the shapes the real API gives (@aws-sdk/client-lambda's deserializers read them):
//   GET  /2015-03-31/functions/{name}/configuration   GetFunctionConfiguration
//   PUT  /2015-03-31/functions/{name}/configuration   UpdateFunctionConfiguration (LastUpdateStatus
//        InProgress for `updateMs`, then Successful; a second update meanwhile: 409 ResourceConflictException)
//   GET  /2015-03-31/functions/{name}                 GetFunction (Configuration, Code, Tags)
//   GET  /2016-08-19/account-settings                 GetAccountSettings
//   POST /  Action=GetCallerIdentity                  sts:GetCallerIdentity (awsQuery, XML)
// GetProvisionedConcurrencyConfig is the Invoke server's (it owns the provisioned environments).
import { createHash } from "node:crypto";

export interface ControlReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ControlPlaneOptions {
  region?: string;
  account?: string;
  /** How long an update stays InProgress (default 0: Successful at the first poll after it). */
  updateMs?: number;
  /** GetAccountSettings' limits (default: an established account's 1,000). */
  concurrentExecutions?: number;
  now?: () => number;
}

interface Config {
  FunctionName: string;
  FunctionArn: string;
  Role: string;
  CodeSize: number;
  Description: string;
  Timeout: number;
  MemorySize: number;
  LastModified: string;
  CodeSha256: string;
  Version: string;
  Environment?: { Variables: Record<string, string> };
  TracingConfig: { Mode: string };
  RevisionId: string;
  State: string;
  LastUpdateStatus: string;
  PackageType: string;
  Architectures: string[];
  EphemeralStorage: { Size: number };
  LoggingConfig: { LogFormat: string; LogGroup: string };
}

const FUNCTION = /^\/2015-03-31\/functions\/([^/]+)$/;
const CONFIGURATION = /^\/2015-03-31\/functions\/([^/]+)\/configuration$/;
const ACCOUNT = /^\/2016-08-19\/account-settings\/?$/;
const LATEST = new Set(["", "$LATEST"]);

/** Lambda's timestamp form: 2026-11-24T10:00:00.000+0000. */
const lambdaTime = (ms: number) => new Date(ms).toISOString().replace("Z", "+0000");
const digestOf = (name: string) => createHash("sha256").update(`lambda-bench standin ${name}`).digest("hex");

const json = (status: number, body: unknown, errorType?: string): ControlReply => ({
  status,
  headers: { "content-type": "application/json", ...(errorType ? { "x-amzn-ErrorType": errorType } : {}) },
  body: JSON.stringify(body),
});
const error = (status: number, type: string, message: string) => json(status, { Type: "User", message }, type);

/** What the control plane reads of a stand-in function (functions.ts's StandinFunction has these). */
export interface ServedFunction {
  name: string;
  memoryMb: number;
  architecture: "arm64" | "x86_64";
  timeoutS: number;
}

export class ControlPlane {
  private readonly configs = new Map<string, Config>();
  /** When each function's last update finishes (on `now`). */
  private readonly settledAt = new Map<string, number>();
  readonly region: string;
  readonly account: string;

  constructor(functions: readonly ServedFunction[], private readonly opts: ControlPlaneOptions = {}) {
    this.region = opts.region ?? "us-east-1";
    this.account = opts.account ?? "123456789012";
    const modified = lambdaTime(Date.now());
    for (const f of functions) {
      this.configs.set(f.name, {
        FunctionName: f.name,
        FunctionArn: this.arn(f.name),
        Role: `arn:aws:iam::${this.account}:role/${f.name}-role`,
        CodeSize: 0,
        Description: "",
        Timeout: f.timeoutS,
        MemorySize: f.memoryMb,
        LastModified: modified,
        CodeSha256: digestOf(f.name),
        Version: "$LATEST",
        TracingConfig: { Mode: "PassThrough" },
        RevisionId: revisionId(f.name, 0),
        State: "Active",
        LastUpdateStatus: "Successful",
        PackageType: "Image",
        Architectures: [f.architecture],
        EphemeralStorage: { Size: 512 },
        LoggingConfig: { LogFormat: "Text", LogGroup: `/aws/lambda/${f.name}` },
      });
    }
  }

  private now(): number {
    return (this.opts.now ?? (() => performance.now()))();
  }

  private arn(name: string): string {
    return `arn:aws:lambda:${this.region}:${this.account}:function:${name}`;
  }

  /** The function's configuration as GetFunctionConfiguration returns it now. */
  configuration(name: string): Config | undefined {
    const c = this.configs.get(name.replace(/^arn:aws:lambda:[^:]*:\d+:function:/, "").replace(/:\$LATEST$/, ""));
    if (!c) return undefined;
    const inProgress = this.now() < (this.settledAt.get(c.FunctionName) ?? -Infinity);
    return { ...c, LastUpdateStatus: inProgress ? "InProgress" : "Successful" };
  }

  /** The reply to a control-plane request, or undefined when it is not one this plane serves. */
  answer(method: string, path: string, query: URLSearchParams, body: Buffer): ControlReply | undefined {
    if (method === "GET" && ACCOUNT.test(path)) return this.accountSettings();
    if (method === "POST" && path === "/") return this.sts(body);
    const config = CONFIGURATION.exec(path);
    const fn = FUNCTION.exec(path);
    const name = config?.[1] ?? fn?.[1];
    if (name === undefined) return undefined;
    const qualifier = query.get("Qualifier") ?? "";
    const current = LATEST.has(qualifier) ? this.configuration(name) : undefined;
    if (!current) return error(404, "ResourceNotFoundException", `Function not found: ${this.arn(name)}${qualifier ? `:${qualifier}` : ""}`);
    if (config && method === "GET") return json(200, current);
    if (config && method === "PUT") return this.update(current, body);
    if (fn && method === "GET") {
      const image = `${this.account}.dkr.ecr.${this.region}.amazonaws.com/${current.FunctionName}@sha256:${current.CodeSha256}`;
      return json(200, {
        Configuration: current,
        Code: { RepositoryType: "ECR", ImageUri: image, ResolvedImageUri: image },
        Tags: { "lambda-bench:stack": "standin" },
      });
    }
    return undefined;
  }

  private update(current: Config, body: Buffer): ControlReply {
    if (current.LastUpdateStatus === "InProgress") {
      return error(409, "ResourceConflictException",
        `The operation cannot be performed at this time. An update is in progress for resource: ${current.FunctionArn}`);
    }
    let change: Record<string, unknown>;
    try {
      change = JSON.parse(body.toString("utf8") || "{}") as Record<string, unknown>;
    } catch {
      return error(400, "InvalidRequestContentException", "Could not parse request body into json");
    }
    const next: Config = { ...current };
    if (change.MemorySize !== undefined) {
      const m = change.MemorySize;
      if (typeof m !== "number" || !Number.isInteger(m) || m < 128 || m > 10240) {
        return error(400, "InvalidParameterValueException", `'MemorySize' value failed to satisfy constraint: Member must have value between 128 and 10240`);
      }
      next.MemorySize = m;
    }
    if (change.Timeout !== undefined) {
      const t = change.Timeout;
      if (typeof t !== "number" || !Number.isInteger(t) || t < 1 || t > 900) {
        return error(400, "InvalidParameterValueException", `'Timeout' value failed to satisfy constraint: Member must have value between 1 and 900`);
      }
      next.Timeout = t;
    }
    if (typeof change.Description === "string") next.Description = change.Description;
    const vars = (change.Environment as { Variables?: Record<string, string> } | undefined)?.Variables;
    if (vars !== undefined) next.Environment = Object.keys(vars).length ? { Variables: { ...vars } } : undefined;
    const size = (change.EphemeralStorage as { Size?: number } | undefined)?.Size;
    if (size !== undefined) next.EphemeralStorage = { Size: size };
    next.LastModified = lambdaTime(Date.now());
    next.RevisionId = revisionId(next.FunctionName, Date.now());
    if (next.Environment === undefined) delete next.Environment;
    this.configs.set(next.FunctionName, { ...next, LastUpdateStatus: "Successful" });
    const updateMs = this.opts.updateMs ?? 0;
    this.settledAt.set(next.FunctionName, this.now() + updateMs);
    // As Lambda: the update's own response says InProgress; GetFunctionConfiguration says when it is done.
    return json(200, { ...next, LastUpdateStatus: "InProgress" });
  }

  private accountSettings(): ControlReply {
    const limit = this.opts.concurrentExecutions ?? 1000;
    return json(200, {
      AccountLimit: {
        TotalCodeSize: 80530636800, CodeSizeUnzipped: 262144000, CodeSizeZipped: 52428800,
        ConcurrentExecutions: limit, UnreservedConcurrentExecutions: limit,
      },
      AccountUsage: { TotalCodeSize: 0, FunctionCount: this.configs.size },
    });
  }

  /** sts:GetCallerIdentity in the awsQuery protocol; any other STS action is not served. */
  private sts(body: Buffer): ControlReply | undefined {
    const form = new URLSearchParams(body.toString("utf8"));
    if (form.get("Action") !== "GetCallerIdentity") return undefined;
    return {
      status: 200,
      headers: { "content-type": "text/xml" },
      body: `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::${this.account}:user/lambda-bench-standin</Arn>
    <UserId>AIDASTANDIN0000000000</UserId>
    <Account>${this.account}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>00000000-0000-4000-8000-000000000000</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
`,
    };
  }
}

/** A RevisionId in Lambda's UUID form, derived from the function and the change's time. */
function revisionId(name: string, at: number): string {
  const h = createHash("sha256").update(`${name}:${at}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
