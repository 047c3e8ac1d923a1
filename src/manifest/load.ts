// Reads benchmarks.yaml: parse with positions, validate with the schema, then the rules that need
// the whole file or the disk, then apply defaults and resolve references. Every error is collected
// with the position of the node it is about; nothing is thrown until all are known.
import * as fs from "node:fs";
import * as path from "node:path";
import { closest, distance } from "fastest-levenshtein";
import { needsDataBucket } from "../policies";
import { readCapped } from "../read-capped";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from "yaml";
import { z } from "zod";
import {
  ARCHITECTURE, BUCKET_NAME, LIMITS, POLICY_ARN, REPO_NAME, BenchmarkEntry, Defaults, ManifestFile, knownKeysAt,
  type Benchmark, type Policy,
} from "./schema";

export interface ManifestError {
  file: string;
  line: number;
  col: number;
  message: string;
}

/** Thrown by loadManifest: every error of the file, sorted by position. */
export class ManifestInvalid extends Error {
  constructor(readonly errors: ManifestError[]) {
    super(errors.map(formatError).join("\n"));
    this.name = "ManifestInvalid";
  }
}

export interface Manifest {
  /** The file as it was named to us. */
  file: string;
  benchmarks: Benchmark[];
  /** Whether any benchmark needs the stack's data bucket (`${bucket}` or bare `access_s3`). */
  usesBucket: boolean;
}

export interface LoadOptions {
  /** Prefix of deployed function and repository names (`lambda-bench:namePrefix`). */
  namePrefix?: string;
  /** Check build contexts and dockerfiles on disk (default true). */
  checkDisk?: boolean;
}

export function formatError(e: ManifestError): string {
  return `${e.file}:${e.line}:${e.col}: ${e.message}`;
}

/** Loads and validates a manifest file; throws ManifestInvalid with every error. */
export function loadManifest(file: string, opts: LoadOptions = {}): Manifest {
  let text: string;
  try {
    // Capped (16 MB): /dev/zero or a FIFO named as the manifest must not be read without end.
    text = readCapped(file, 16 * 1024 * 1024).toString("utf8");
  } catch (err) {
    const reason = (err as Error).message; // ReadCappedError: "no such file", "it is a folder, not a file", ...
    throw new ManifestInvalid([{ file, line: 1, col: 1, message: `cannot read the manifest: ${reason}` }]);
  }
  const result = parseManifest(text, file, opts);
  if (!result.manifest) throw new ManifestInvalid(result.errors);
  return result.manifest;
}

/** The longest name S3 gives a bucket: what `${bucket}` may grow to when sizing env. */
const MAX_BUCKET_NAME = 63;
const REF = /\$\{([^}]*)\}/g;

type Path = readonly PropertyKey[];
interface Issue { path: Path; message: string; onKey?: boolean }

/**
 * Validates manifest text. `file` names it in errors and anchors relative build paths (its folder).
 * Returns the manifest, or every error sorted by position.
 */
export function parseManifest(text: string, file: string, opts: LoadOptions = {}): { manifest?: Manifest; errors: ManifestError[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number, message: string): ManifestError => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, col, message };
  };
  if (doc.errors.length > 0) {
    // After the first error on a line the parser's further complaints there are its own confusion.
    const firstPerLine = new Map<number, ManifestError>();
    for (const e of doc.errors) {
      const err = at(e.pos[0], `YAML syntax: ${e.message.split("\n")[0]}`);
      if (!firstPerLine.has(err.line)) firstPerLine.set(err.line, err);
    }
    return { errors: sortErrors([...firstPerLine.values()]) };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    return { errors: [at(0, `YAML: ${(err as Error).message}`)] };
  }

  const issues: Issue[] = [];
  const parsed = ManifestFile.safeParse(data);
  if (!parsed.success) issues.push(...fromZod(parsed.error.issues));

  // The whole-file rules run on the fields that are well-formed, so a bad memory in one benchmark
  // does not hide a dangling reference in the same or another one.
  const raw = (data ?? {}) as { defaults?: unknown; benchmarks?: unknown };
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
  const benchmarks = resolve(entries, defaults, allFunctions, path.dirname(file), opts, issues, doc);

  const errors = dedupe(issues.map((iss) => at(offsetOf(doc, iss), iss.message)));
  if (errors.length > 0) return { errors: sortErrors(errors) };
  return { manifest: { file, benchmarks, usesBucket: benchmarks.some((b) => b.usesBucket) }, errors: [] };
}

function fromZod(zodIssues: readonly z.core.$ZodIssue[]): Issue[] {
  return zodIssues.flatMap((iss): Issue[] => {
    if (iss.code === "unrecognized_keys") {
      const known = knownKeysAt(iss.path);
      return iss.keys.map((key) => ({
        path: [...iss.path, key],
        onKey: true,
        message: `unknown key "${key}"${didYouMean(key, known)}${known.length ? `; allowed here: ${known.join(", ")}` : ""}`,
      }));
    }
    if (iss.code === "invalid_key") {
      return [{ path: iss.path, onKey: true, message: iss.issues[0]?.message ?? iss.message }];
    }
    return [{ path: iss.path, message: iss.message }];
  });
}

/**
 * The parts of a value that pass their own schema: fields of maps, entries of records, items of
 * lists (left sparse so indices still name positions). Schema errors are already reported by the
 * full parse; this keeps what is good for the whole-file rules. Undefined when nothing is usable.
 */
function salvage(schema: z.ZodType, value: unknown): unknown {
  const whole = schema.safeParse(value);
  if (whole.success) return whole.data;
  const s = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
  const isMapValue = value !== null && typeof value === "object" && !Array.isArray(value);
  if (s instanceof z.ZodObject && isMapValue) {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(s.shape as Record<string, z.ZodType>)) {
      const v = (value as Record<string, unknown>)[key];
      const good = v === undefined ? undefined : salvage(field, v);
      if (good !== undefined) out[key] = good;
    }
    return out;
  }
  if (s instanceof z.ZodRecord && isMapValue) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => (s.keyType as z.ZodType).safeParse(k).success && (s.valueType as z.ZodType).safeParse(v).success);
    return Object.fromEntries(entries);
  }
  if (s instanceof z.ZodArray && Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    value.forEach((v, i) => {
      const good = salvage(s.element as z.ZodType, v);
      if (good !== undefined) out[i] = good;
    });
    return out;
  }
  return undefined;
}

function didYouMean(word: string, candidates: readonly string[]): string {
  if (candidates.length === 0) return "";
  const best = closest(word, candidates as string[]);
  return distance(word, best) <= Math.max(2, Math.floor(word.length / 3)) ? ` (did you mean "${best}"?)` : "";
}

/** The source offset of the node a path names, or of its deepest existing ancestor. */
function offsetOf(doc: Document, issue: Issue): number {
  let node: unknown = doc.contents;
  let key: Node | undefined;
  for (const seg of issue.path) {
    if (isMap(node)) {
      const pair = (node.items as Pair[]).find((p) => (isScalar(p.key) ? p.key.value : p.key) === seg);
      if (!pair) break;
      key = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number" && seg < node.items.length) {
      key = undefined;
      node = node.items[seg];
    } else break;
  }
  const target = issue.onKey && key ? key : (node as Node | null | undefined)?.range ? (node as Node) : key;
  return target?.range?.[0] ?? 0;
}

function sortErrors(errors: ManifestError[]): ManifestError[] {
  return errors.sort((a, b) => a.line - b.line || a.col - b.col || a.message.localeCompare(b.message));
}

function dedupe(errors: ManifestError[]): ManifestError[] {
  const seen = new Set<string>();
  return errors.filter((e) => !seen.has(formatError(e)) && seen.add(formatError(e)) !== undefined);
}

type Entry = z.output<typeof BenchmarkEntry>;
type DefaultsT = Partial<z.output<typeof Defaults>>;

/** Where a merged field came from, so its errors point at the line the user wrote. */
function origin(i: number, entryHas: boolean, ...rest: PropertyKey[]): Path {
  return entryHas ? ["benchmarks", i, ...rest] : ["defaults", ...rest];
}

function resolve(
  entries: { i: number; entry: Entry }[], defaults: DefaultsT, allFunctions: ReadonlySet<string>,
  baseDir: string, opts: LoadOptions, issues: Issue[], doc: Document,
): Benchmark[] {
  const prefix = opts.namePrefix ?? "";
  const functions = new Map<string, number>();
  const repos = new Map<string, string>();
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
    const repoPath: Path = ["benchmarks", i, entry.repo === undefined ? "function" : "repo"];
    const other = repos.get(repo);
    if (other && !(duplicate && entry.repo === undefined)) { // a repeated function already says it
      issues.push({ path: repoPath, message: `repo "${repo}" is already used by benchmark "${other}": give each benchmark its own repo` });
    } else repos.set(repo, fn);

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

    // env: defaults then the entry, key by key; each value remembers where it was written.
    const env: Record<string, string> = {};
    const envFrom: Record<string, Path> = {};
    for (const [src, map] of [["defaults", defaults.env], ["entry", entry.env]] as const) {
      for (const [k, v] of Object.entries(map ?? {})) {
        const p: Path = src === "defaults" ? ["defaults", "env", k] : ["benchmarks", i, "env", k];
        env[k] = scalarText(doc, p, v);
        envFrom[k] = p;
      }
    }
    let usesBucket = needsDataBucket(policies);
    // What Lambda will count: references as they will expand, `${bucket}` at its longest.
    const sized: Record<string, string> = {};
    for (const [k, v] of Object.entries(env)) {
      sized[k] = v;
      env[k] = v.replace(REF, (whole, ref: string) => {
        if (ref === "bucket") {
          usesBucket = true;
          sized[k] = sized[k].replace(whole, "b".repeat(MAX_BUCKET_NAME));
          return whole; // filled in by the program once the bucket has a name
        }
        const m = /^function:(.*)$/.exec(ref);
        if (m && allFunctions.has(m[1])) {
          sized[k] = sized[k].replace(whole, prefix + m[1]);
          return prefix + m[1];
        }
        issues.push({
          path: envFrom[k],
          message: m
            ? `env ${k}: \${function:${m[1]}} names no function of this manifest${didYouMean(m[1], [...allFunctions])}`
            : `env ${k}: unknown reference "${whole}": use \${function:NAME} or \${bucket}`,
        });
        return whole;
      });
    }
    const envBytes = Buffer.byteLength(JSON.stringify(sized));
    if (envBytes > LIMITS.envBytes) {
      issues.push({ path: origin(i, entry.env !== undefined, "env"), message: `env of "${fn}" is ${envBytes} bytes as Lambda counts it (JSON of all keys and values, \${bucket} as ${MAX_BUCKET_NAME} characters); the limit is ${LIMITS.envBytes}: shorten or drop values` });
    }

    const platform = entry.platform ?? defaults.platform ?? "linux/amd64";
    out.push({
      function: fn,
      repo,
      deployedName: prefix + fn,
      deployedRepo: prefix.toLowerCase() + repo,
      tag: entry.tag ?? defaults.tag ?? "latest",
      platform,
      architecture: ARCHITECTURE[platform],
      memory: entry.memory ?? defaults.memory ?? LIMITS.memory.default,
      timeout: entry.timeout ?? defaults.timeout ?? LIMITS.timeout.default,
      ephemeralStorage: entry.ephemeralStorage ?? defaults.ephemeralStorage,
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
  return out;
}

function argPath(i: number, entry: Entry, key: string): Path {
  return origin(i, entry.build?.args?.[key] !== undefined, "build", "args", key);
}

function checkPolicy(p: Policy, at: Path, functions: ReadonlySet<string>, issues: Issue[]): void {
  (p.scope ?? []).forEach((name, k) => {
    const itemPath = [...at, k];
    if (p.name === "invoke_function" && !functions.has(name)) {
      issues.push({ path: itemPath, message: `invoke_function names "${name}", which is not a function of this manifest${didYouMean(name, [...functions])}` });
    } else if (p.name === "access_s3" && !BUCKET_NAME.test(name)) {
      issues.push({ path: itemPath, message: `access_s3 names "${name}", which is not a valid S3 bucket name: 3 to 63 lower-case letters, digits, '.' or '-'` });
    } else if (p.name === "managed" && !POLICY_ARN.test(name)) {
      issues.push({ path: itemPath, message: `managed names "${name}", which is not an IAM policy ARN (arn:aws:iam::aws:policy/NAME or arn:aws:iam::ACCOUNT:policy/NAME)` });
    }
  });
}

/**
 * A scalar as Lambda and Docker will see it. Numbers keep their source text (`1.10` stays "1.10",
 * not "1.1"); booleans become "true"/"false".
 */
function scalarText(doc: Document, p: Path, value: string | number | boolean): string {
  if (typeof value === "number") {
    const node = doc.getIn(p as unknown[], true);
    if (isScalar(node) && typeof node.source === "string") return node.source;
  }
  return String(value);
}

function isDir(p: string): boolean {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}

function isFile(p: string): boolean {
  try { return fs.statSync(p).isFile(); } catch { return false; }
}
