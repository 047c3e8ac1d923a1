// Reads benchmarks.yaml: parse with positions, validate with the schema, then the rules that need
// the whole file or the disk, then apply defaults and resolve references. Every error is collected
// with the position of the node it is about; nothing is thrown until all are known.
import * as fs from "node:fs";
import * as path from "node:path";
import { needsDataBucket } from "./policies";
import type { Document } from "yaml";
import { z } from "zod";
import { resolveEnv, scalarText } from "./env";
import { fromZod, salvage, type Issue, type Path } from "./issues";
import { resolveGenerator, type GeneratorSpec } from "./generator";
import { checkNames, type Named } from "./names";
import { checkPolicy, inlinePolicyProblem, worstInlinePolicySize } from "./policy-checks";
import {
  ARCHITECTURE, LIMITS, REPO_NAME, BenchmarkEntry, Defaults, GeneratorEntry, ManifestFile, type Benchmark,
} from "./schema";
import { FileInvalid, parseYaml, readYamlText, type PositionedError } from "./yaml-file";

export { formatError } from "./yaml-file";
export type ManifestError = PositionedError;

/** Thrown by loadManifest: every error of the file, sorted by position. */
export class ManifestInvalid extends FileInvalid {
  constructor(errors: ManifestError[]) {
    super(errors);
    this.name = "ManifestInvalid";
  }
}

export interface Manifest {
  /** The file as it was named to us. */
  file: string;
  benchmarks: Benchmark[];
  /** Whether any benchmark needs the stack's data bucket (`${bucket}` or bare `access_s3`). */
  usesBucket: boolean;
  /** The Lambda generator, when the manifest has a `generator:` section (it uses the bucket too). */
  generator: GeneratorSpec | undefined;
}

export interface LoadOptions {
  /** Prefix of deployed function and repository names (`lambda-bench:namePrefix`). */
  namePrefix?: string;
  /** Check build contexts and dockerfiles on disk (default true). */
  checkDisk?: boolean;
}

/** Keys that are not fields but a known mistake, with the reason they are refused. */
const REFUSED_KEYS: Record<string, string> = {
  snapStart: "snapStart: SnapStart applies to zip-packaged functions on some runtimes (Java, Python, .NET), not to container images: remove it; provisionedConcurrency keeps instances initialised instead",
};

/** Loads and validates a manifest file; throws ManifestInvalid with every error. */
export function loadManifest(file: string, opts: LoadOptions = {}): Manifest {
  const read = readYamlText(file, "manifest");
  if ("errors" in read) throw new ManifestInvalid(read.errors);
  const result = parseManifest(read.text, file, opts);
  if (!result.manifest) throw new ManifestInvalid(result.errors);
  return result.manifest;
}

/**
 * Validates manifest text. `file` names it in errors and anchors relative build paths (its folder).
 * Returns the manifest, or every error sorted by position.
 */
export function parseManifest(text: string, file: string, opts: LoadOptions = {}): { manifest?: Manifest; errors: ManifestError[] } {
  const { source, errors: syntax } = parseYaml(text, file);
  if (!source) return { errors: syntax };
  const { doc, data, where } = source;

  const issues: Issue[] = [];
  const parsed = ManifestFile.safeParse(data);
  if (!parsed.success) issues.push(...fromZod(parsed.error.issues, ManifestFile, REFUSED_KEYS));

  // The whole-file rules run on the fields that are well-formed, so a bad memory in one benchmark
  // does not hide a dangling reference in the same or another one.
  const raw = (data ?? {}) as { defaults?: unknown; benchmarks?: unknown; generator?: unknown };
  const defaults = (salvage(Defaults, raw.defaults ?? {}) ?? {}) as DefaultsT;
  const entries = (Array.isArray(raw.benchmarks) ? raw.benchmarks : [])
    .map((b, i) => ({ i, entry: salvage(BenchmarkEntry, b) as Entry | undefined }))
    .filter((e): e is { i: number; entry: Entry } => e.entry !== undefined && typeof e.entry.function === "string");
  // References are judged against every function the file names, even in entries with other errors.
  const allFunctions = new Set(
    (Array.isArray(raw.benchmarks) ? raw.benchmarks : [])
      .map((b) => (b as { function?: unknown } | null)?.function)
      .filter((f): f is string => typeof f === "string"),
  );
  const benchmarks = resolve(entries, defaults, allFunctions, path.dirname(file), opts, issues, doc, where);
  const prefix = opts.namePrefix ?? "";
  const generator = raw.generator === undefined ? undefined : resolveGenerator(
    (salvage(GeneratorEntry, raw.generator ?? {}) ?? {}) as Partial<GeneratorEntry>, prefix,
    new Map(entries.map(({ i, entry }) => [prefix + entry.function, ["benchmarks", i, "function"]])), issues);

  const errors = source.errorsOf(issues);
  if (errors.length > 0) return { errors };
  return { manifest: { file, benchmarks, usesBucket: benchmarks.some((b) => b.usesBucket), generator }, errors: [] };
}

type Entry = z.output<typeof BenchmarkEntry>;
type DefaultsT = Partial<z.output<typeof Defaults>>;

/** Where a merged field came from, so its errors point at the line the user wrote. */
function origin(i: number, entryHas: boolean, ...rest: PropertyKey[]): Path {
  return entryHas ? ["benchmarks", i, ...rest] : ["defaults", ...rest];
}

function resolve(
  entries: { i: number; entry: Entry }[], defaults: DefaultsT, allFunctions: ReadonlySet<string>,
  baseDir: string, opts: LoadOptions, issues: Issue[], doc: Document, where: (p: Path) => string,
): Benchmark[] {
  const prefix = opts.namePrefix ?? "";
  const functions = new Map<string, number>();
  /** `repo:tag` -> the benchmark pushing it and where its tag is written. */
  const images = new Map<string, { fn: string; at: Path }>();
  const named: Named[] = [];
  const out: Benchmark[] = [];

  for (const { i, entry } of entries) {
    const fn = entry.function;
    const duplicate = functions.has(fn);
    if (duplicate) {
      issues.push({ path: ["benchmarks", i, "function"], message: `function "${fn}" is already defined by benchmark ${functions.get(fn)! + 1}: function names must be unique` });
    } else functions.set(fn, i);

    const repo = entry.repo ?? fn.toLowerCase();
    if (entry.repo === undefined && !REPO_NAME.test(repo)) {
      issues.push({ path: ["benchmarks", i, "function"], message: `the default repo "${repo}" (the function name, lower-cased) is not a valid ECR repository name: set repo explicitly` });
    }
    // One repository may hold several benchmarks' images (vSwarm's map-reduce: three tags), never
    // two images under one tag.
    const repoPath: Path = ["benchmarks", i, entry.repo === undefined ? "function" : "repo"];
    const tag = entry.tag ?? defaults.tag ?? "latest";
    const tagPath: Path = entry.tag !== undefined ? ["benchmarks", i, "tag"] : defaults.tag !== undefined ? ["defaults", "tag"] : repoPath;
    const other = images.get(`${repo}:${tag}`);
    if (other && !(duplicate && entry.repo === undefined)) { // a repeated function already says it
      issues.push({ path: repoPath, message: `repo "${repo}" with tag "${tag}" is already pushed by benchmark "${other.fn}" (${where(other.at)}): give one of them its own tag or repo` });
    } else if (!other) images.set(`${repo}:${tag}`, { fn, at: tagPath });

    // build: defaults and the entry merge key by key; args merge key by key too.
    const build = { ...defaults.build, ...entry.build, args: { ...defaults.build?.args, ...entry.build?.args } };
    let contextAbs = "";
    let dockerfileAbs = "";
    if (build.context === undefined) {
      issues.push({ path: ["benchmarks", i], message: `benchmark "${fn}" has no build.context: set build: {context: <folder>} here or in defaults` });
    } else {
      contextAbs = path.resolve(baseDir, build.context);
      dockerfileAbs = path.resolve(contextAbs, build.dockerfile ?? "Dockerfile");
      if (opts.checkDisk !== false) {
        const ctxPath = origin(i, entry.build?.context !== undefined, "build", "context");
        const dfPath = entry.build?.dockerfile !== undefined || defaults.build?.dockerfile !== undefined
          ? origin(i, entry.build?.dockerfile !== undefined, "build", "dockerfile")
          : ctxPath;
        if (!isDir(contextAbs)) {
          issues.push({ path: ctxPath, message: `build.context "${build.context}" is not a folder (looked for ${contextAbs}): build.context is relative to the manifest's folder` });
        } else if (!isFile(dockerfileAbs)) {
          issues.push({ path: dfPath, message: `dockerfile "${build.dockerfile ?? "Dockerfile"}" is not a file in build.context (looked for ${dockerfileAbs}): build.dockerfile is relative to build.context` });
        }
      }
    }

    const policies = entry.policies ?? defaults.policies ?? [];
    const policiesFrom = origin(i, entry.policies !== undefined, "policies");
    policies.forEach((p, j) => // sparse where items were invalid: forEach skips those
      checkPolicy(p, [...policiesFrom, j, p.name], allFunctions, issues));
    const policyProblem = inlinePolicyProblem(fn, worstInlinePolicySize(policies.filter(Boolean), (f) => prefix + f));
    if (policyProblem) issues.push({ path: policiesFrom, message: policyProblem });
    let bucketFrom: Path | undefined = needsDataBucket(policies)
      ? [...policiesFrom, policies.findIndex((p) => p?.name === "access_s3" && !p.scope)] : undefined;

    const { env, bucketFrom: envBucketFrom } = resolveEnv(fn, i, entry.env, defaults.env, { doc, allFunctions, prefix, issues });
    const usesBucket = needsDataBucket(policies) || envBucketFrom !== undefined;
    bucketFrom ??= envBucketFrom;

    const { provisionedConcurrency: provisioned, reservedConcurrency: reserved } = entry;
    if (provisioned !== undefined && reserved !== undefined && provisioned > reserved) {
      issues.push({ path: ["benchmarks", i, "provisionedConcurrency"], message: `provisionedConcurrency ${provisioned} is more than reservedConcurrency ${reserved}: Lambda provisions at most the reserved concurrency` });
    }

    const platform = entry.platform ?? defaults.platform ?? "linux/amd64";
    const deployedName = prefix + fn;
    const deployedRepo = prefix.toLowerCase() + repo;
    named.push({ fn, deployedName, deployedRepo, at: { function: ["benchmarks", i, "function"], repo: repoPath, bucket: bucketFrom } });
    out.push({
      function: fn,
      repo,
      deployedName,
      deployedRepo,
      tag,
      platform,
      architecture: ARCHITECTURE[platform],
      memory: entry.memory ?? defaults.memory ?? LIMITS.memory.default,
      timeout: entry.timeout ?? defaults.timeout ?? LIMITS.timeout.default,
      ephemeralStorage: entry.ephemeralStorage ?? defaults.ephemeralStorage,
      logRetention: entry.logRetention ?? defaults.logRetention ?? LIMITS.logRetention.default,
      logFormat: entry.logFormat ?? defaults.logFormat ?? "Text",
      provisionedConcurrency: provisioned,
      reservedConcurrency: reserved,
      build: {
        context: contextAbs,
        dockerfile: dockerfileAbs,
        args: Object.fromEntries(Object.keys(build.args).map((k) => [k, scalarText(doc, argPath(i, entry, k), build.args[k])])),
        target: build.target,
      },
      policies,
      env,
      usesBucket,
    });
  }
  checkNames(named, prefix, issues);
  return out;
}

function argPath(i: number, entry: Entry, key: string): Path {
  return origin(i, entry.build?.args?.[key] !== undefined, "build", "args", key);
}

function isDir(p: string): boolean {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}

function isFile(p: string): boolean {
  try { return fs.statSync(p).isFile(); } catch { return false; }
}
