// The manifest's shape, as one zod schema. Every type the program and the CLI use for a benchmark is
// inferred from here; the rules that need the whole file (uniqueness, references, the disk) live in
// load.ts, which reports them in the same positioned form.
import { z } from "zod";
import { POLICY_NAMES, SCOPED_POLICY_NAMES } from "./policies";

/** AWS Lambda function-name rule (CreateFunction's FunctionName, the plain-name form). */
export const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** ECR repository-name rule (CreateRepository's repositoryName). */
export const REPO_NAME = /^(?=.{2,256}$)[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;
/** Lambda environment-variable key rule. */
export const ENV_KEY = /^[A-Za-z][A-Za-z0-9_]*$/;
/** S3 bucket-name rule (general purpose buckets). */
export const BUCKET_NAME = /^(?=.{3,63}$)[a-z0-9][a-z0-9.-]*[a-z0-9]$/;
/** IAM policy ARN, any partition. */
export const POLICY_ARN = /^arn:aws[a-z-]*:iam::(?:aws|\d{12}):policy\/[\w+=,.@\/-]+$/;

/** Keys Lambda sets itself and refuses in a function's environment. */
export const RESERVED_ENV_KEYS: ReadonlySet<string> = new Set([
  "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
  "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "TZ",
]);

export const PLATFORMS = ["linux/amd64", "linux/arm64"] as const;
export type Platform = (typeof PLATFORMS)[number];
/** Lambda's `architectures` value for each buildx platform. */
export const ARCHITECTURE: Record<Platform, "x86_64" | "arm64"> = {
  "linux/amd64": "x86_64",
  "linux/arm64": "arm64",
};

export const LIMITS = {
  memory: { min: 128, max: 10240, default: 128 },
  /** Days CloudWatch Logs keeps a log group's events; 0 keeps them forever. */
  logRetention: { values: [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], default: 14 },
  timeout: { min: 1, max: 900, default: 30 },
  ephemeralStorage: { min: 512, max: 10240 },
  envBytes: 4096,
  /** IAM's limit on the aggregate size of a role's inline policies, whitespace not counted. */
  inlinePolicyChars: 10240,
} as const;

export const LOG_FORMATS = ["Text", "JSON"] as const;

export const DRIVER_ARCHITECTURES = ["arm64", "x86_64"] as const;
/** The generator's driver: ranges and defaults (README, "The manifest"). */
export const GENERATOR_LIMITS = {
  /** 1769 MB is one full vCPU, what one driver's event loop can use. */
  memory: { min: LIMITS.memory.min, max: LIMITS.memory.max, default: 1769 },
  /**
   * Distributed Map runs at most 10,000 children at once: workload/segments.ts's MAX_SHARDS (not
   * imported: it loads every schedule, ~60 ms on each `plan`; a test ties the two).
   */
  maxShards: { min: 1, max: 10_000, default: 100 },
  /**
   * Seconds one driver invocation sends: Lambda's 900 s less the lead and the drain, objects.ts's
   * WINDOW_MAX_MS (not imported: objects.ts reaches this file through spec.ts; a test ties the two).
   */
  window: { min: 60, max: 840, default: 840 },
  /** The driver is plain bundled JavaScript: arm64 costs 20% less a GB-second. */
  architecture: "arm64",
} as const;

export const describe = (v: unknown): string =>
  v === undefined ? "nothing" : v === null ? "null" : Array.isArray(v) ? "a list" :
  typeof v === "object" ? "a map" : JSON.stringify(v);

export const int = (what: string, min: number, max: number, unit: string) =>
  z.number({ error: (iss) => `${what} must be a whole number of ${unit} from ${min} to ${max}; got ${describe(iss.input)}` })
    .int({ error: (iss) => `${what} must be a whole number of ${unit}; got ${describe(iss.input)}` })
    .min(min, { error: (iss) => `${what} must be at least ${min} ${unit}; got ${describe(iss.input)}` })
    .max(max, { error: (iss) => `${what} must be at most ${max} ${unit}; got ${describe(iss.input)}` });

const scalar = (what: string) =>
  z.union([z.string(), z.number(), z.boolean()], {
    error: (iss) => `${what} must be a string, number or boolean; got ${describe(iss.input)}`,
  });

export const nonEmptyString = (what: string) =>
  z.string({ error: (iss) => `${what} must be a string; got ${describe(iss.input)}` })
    .min(1, { error: `${what} must not be empty` });

export const FunctionName = z
  .string({ error: (iss) => `function must be a string; got ${describe(iss.input)}` })
  .regex(FUNCTION_NAME, {
    error: (iss) => `function ${describe(iss.input)} is not a valid Lambda function name: use 1 to 64 letters, digits, '-' or '_'`,
  });

export const RepoName = z
  .string({ error: (iss) => `repo must be a string; got ${describe(iss.input)}` })
  .regex(REPO_NAME, {
    error: (iss) => `repo ${describe(iss.input)} is not a valid ECR repository name: use 2 to 256 lower-case letters and digits, separated by '.', '_', '-' or '/'`,
  });

const EnvKey = z.string().regex(ENV_KEY, {
  error: (iss) => `env key ${describe(iss.input)} is not valid: start with a letter, then letters, digits or '_'`,
}).refine((k) => !RESERVED_ENV_KEYS.has(k), {
  error: (iss) => `env key ${describe(iss.input)} is reserved by Lambda: choose another name`,
});

export const Env = z.record(EnvKey, scalar("an env value"), {
  error: (iss) => `env must be a map of NAME: value; got ${describe(iss.input)}`,
});

export const Build = z.strictObject({
  context: nonEmptyString("build.context").optional(),
  dockerfile: nonEmptyString("build.dockerfile").optional(),
  args: z.record(z.string(), scalar("a build arg"), {
    error: (iss) => `build.args must be a map of NAME: value; got ${describe(iss.input)}`,
  }).optional(),
  target: nonEmptyString("build.target").optional(),
}, { error: (iss) => `build must be a map with context, dockerfile, args, target; got ${describe(iss.input)}` });

/**
 * One `policies` item: a bare catalogue name, or a one-key map from a scoped catalogue name to a
 * non-empty list of names. Checked by hand so the messages can say exactly which form was meant.
 */
export const Policy = z.unknown().transform((item, ctx) => {
  if (typeof item === "string") {
    if ((POLICY_NAMES as readonly string[]).includes(item)) {
      return { name: item as (typeof POLICY_NAMES)[number], scope: undefined };
    }
    ctx.addIssue({ code: "custom", message: `unknown policy ${describe(item)}: use one of ${POLICY_NAMES.join(", ")}${(SCOPED_POLICY_NAMES as readonly string[]).includes(item) ? ` (${item} needs a list: {${item}: [...]})` : ""}` });
    return z.NEVER;
  }
  if (item !== null && typeof item === "object" && !Array.isArray(item)) {
    const keys = Object.keys(item);
    const name = keys[0];
    if (keys.length !== 1 || !(SCOPED_POLICY_NAMES as readonly string[]).includes(name)) {
      ctx.addIssue({ code: "custom", message: `a scoped policy is a map with one key, one of ${SCOPED_POLICY_NAMES.join(", ")}; got keys ${keys.join(", ") || "none"}` });
      return z.NEVER;
    }
    const scope = (item as Record<string, unknown>)[name];
    if (!Array.isArray(scope) || scope.length === 0 || !scope.every((s) => typeof s === "string" && s.length > 0)) {
      ctx.addIssue({ code: "custom", path: [name], message: `${name} scope must be a non-empty list of names; got ${describe(scope)}` });
      return z.NEVER;
    }
    return { name: name as (typeof SCOPED_POLICY_NAMES)[number], scope: scope as string[] };
  }
  ctx.addIssue({ code: "custom", message: `a policy is a catalogue name or {name: [...]}; got ${describe(item)}` });
  return z.NEVER;
});
export type Policy = z.output<typeof Policy>;

/** Fields a benchmark and `defaults` share. */
const shared = {
  tag: z.string({ error: (iss) => `tag must be a string; got ${describe(iss.input)}` })
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: (iss) => `tag ${describe(iss.input)} is not a valid image tag: up to 128 letters, digits, '_', '.', '-'` })
    .optional(),
  build: Build.optional(),
  platform: z.enum(PLATFORMS, { error: (iss) => `platform must be linux/amd64 or linux/arm64; got ${describe(iss.input)}` }).optional(),
  memory: int("memory", LIMITS.memory.min, LIMITS.memory.max, "MB").optional(),
  timeout: int("timeout", LIMITS.timeout.min, LIMITS.timeout.max, "seconds").optional(),
  ephemeralStorage: int("ephemeralStorage", LIMITS.ephemeralStorage.min, LIMITS.ephemeralStorage.max, "MB").optional(),
  policies: z.array(Policy, { error: (iss) => `policies must be a list; got ${describe(iss.input)}` }).optional(),
  env: Env.optional(),
  logRetention: z.number({ error: (iss) => `logRetention must be a number of days; got ${describe(iss.input)}` }).refine((n) => (LIMITS.logRetention.values as readonly number[]).includes(n), {
    error: (iss) => `logRetention must be a number of days CloudWatch Logs accepts (${LIMITS.logRetention.values.join(", ")}; 0 keeps logs forever); got ${describe(iss.input)}`,
  }).optional(),
  logFormat: z.enum(LOG_FORMATS, { error: (iss) => `logFormat must be Text or JSON; got ${describe(iss.input)}` }).optional(),
};

export const count = (what: string, min: number) =>
  z.number({ error: (iss) => `${what} must be a whole number, at least ${min}; got ${describe(iss.input)}` })
    .int({ error: (iss) => `${what} must be a whole number; got ${describe(iss.input)}` })
    .min(min, { error: (iss) => `${what} must be at least ${min}; got ${describe(iss.input)}` });

/** Fields of one function only: concurrency is drawn from the account's pool, so no default. */
const perFunction = {
  provisionedConcurrency: count("provisionedConcurrency", 1).optional(),
  reservedConcurrency: count("reservedConcurrency", 0).optional(),
};

export const Defaults = z.strictObject(shared, {
  error: (iss) => `defaults must be a map; got ${describe(iss.input)}`,
});

export const BenchmarkEntry = z.strictObject({
  function: FunctionName,
  repo: RepoName.optional(),
  ...shared,
  ...perFunction,
}, { error: (iss) => `each benchmark must be a map with at least function and build; got ${describe(iss.input)}` });

/**
 * The `generator:` section (issue 28): its presence deploys the Lambda generator. Defaults and
 * the resolved form are in generator.ts; here only the shape and each field's range.
 */
export const GeneratorEntry = z.strictObject({
  memory: int("generator.memory", GENERATOR_LIMITS.memory.min, GENERATOR_LIMITS.memory.max, "MB").optional(),
  maxShards: int("generator.maxShards", GENERATOR_LIMITS.maxShards.min, GENERATOR_LIMITS.maxShards.max, "shards").optional(),
  window: int("generator.window", GENERATOR_LIMITS.window.min, GENERATOR_LIMITS.window.max, "seconds").optional(),
  architecture: z.enum(DRIVER_ARCHITECTURES, { error: (iss) => `generator.architecture must be arm64 or x86_64; got ${describe(iss.input)}` }).optional(),
}, { error: (iss) => `generator must be a map with memory, maxShards, window, architecture (or {} for every default); got ${describe(iss.input)}` });

export const ManifestFile = z.strictObject({
  defaults: Defaults.optional(),
  benchmarks: z.array(BenchmarkEntry, { error: (iss) => `benchmarks must be a list of benchmarks; got ${describe(iss.input)}` })
    .min(1, { error: "benchmarks must list at least one benchmark" }),
  // `generator:` with nothing after it is there too: every default.
  generator: GeneratorEntry.nullable().optional(),
}, { error: (iss) => `a manifest is a map with defaults and benchmarks; got ${describe(iss.input)}` });

export type ManifestFile = z.output<typeof ManifestFile>;
export type BenchmarkEntry = z.output<typeof BenchmarkEntry>;
export type GeneratorEntry = z.output<typeof GeneratorEntry>;

/**
 * A benchmark after defaults are applied and references resolved: what the program deploys.
 * Derived from the entry type so the two cannot drift.
 */
export type Benchmark = Required<Pick<BenchmarkEntry, "function" | "repo" | "tag" | "platform" | "memory" | "timeout">> & {
  /** The name the function has in AWS: `namePrefix` + function. */
  deployedName: string;
  /** The ECR repository name in AWS: `namePrefix` (lower-cased) + repo. */
  deployedRepo: string;
  architecture: (typeof ARCHITECTURE)[Platform];
  ephemeralStorage: number | undefined;
  logRetention: number;
  logFormat: (typeof LOG_FORMATS)[number];
  /** Instances kept initialised on the `live` alias; undefined: no version, alias or provisioning. */
  provisionedConcurrency: number | undefined;
  /** The function's reserved concurrency; undefined: the account's unreserved pool. */
  reservedConcurrency: number | undefined;
  build: { context: string; dockerfile: string; args: Record<string, string>; target: string | undefined };
  policies: Policy[];
  /** Env values with `${function:X}` resolved; `${bucket}` is left for the program to fill in. */
  env: Record<string, string>;
  usesBucket: boolean;
};
