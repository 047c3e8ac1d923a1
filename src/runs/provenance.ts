// Provenance: what a run measured, where, from which client and tool version, written beside its
// records as `<out>.meta.json` (a sweep also writes `meta.json` in its folder), so a number can be
// traced and two runs can be checked to be like for like before they are compared.
import { createHash, randomUUID } from "node:crypto";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GetFunctionCommand, type FunctionConfiguration, type LambdaClient } from "@aws-sdk/client-lambda";
import { callerAccount } from "../aws/sts";
import { closedWorkload } from "../workload/closed";
import { DEFAULT_SEED } from "../rng";
import type { Workload } from "./record";

/** 2 added `interrupted` and `calls`; a schema-1 sidecar still loads (read as not interrupted, planned unknown). */
export const PROVENANCE_SCHEMA = 2;

/** Why a run stopped before its plan was done. */
export interface Interrupted {
  reason: "signal" | "error" | "write-failed" | "parent-gone";
  detail: string;
}

export interface FunctionProvenance {
  name: string;
  arn: string | null;
  qualifier: string | null;
  memoryMb: number | null;
  architecture: string | null;
  timeoutS: number | null;
  ephemeralStorageMb: number | null;
  packageType: string | null;
  runtime: string | null;
  /** The environment's keys, sorted; never their values. */
  envKeys: string[];
  codeSha256: string | null;
  imageUri: string | null;
  resolvedImageUri: string | null;
  lastModified: string | null;
}

export interface Provenance {
  schema: number;
  runId: string;
  tool: { name: "lambda-bench"; version: string | null; gitCommit: string | null };
  command: string[];
  startedAt: string;
  endedAt: string | null;
  region: string;
  accountId: string | null;
  benchmark: string;
  function: FunctionProvenance;
  payload: { sha256: string; bytes: number };
  workload: Workload;
  seed: number | null;
  /** The run's plan as given: invocations, concurrency, cold starts, repetitions. */
  plan: Record<string, number | string | boolean | null>;
  client: { node: string; os: string; arch: string; cpus: number; cpuModel: string | null; hostname: string };
  /**
   * Null for a run that did all it planned. Written as a "signal" at the start and replaced at the
   * end, so a run killed outright (SIGKILL, a power cut) still says it was cut short. Absent in
   * schema-1 sidecars: read as null.
   */
  interrupted?: Interrupted | null;
  /** The calls planned (null when not known in advance) and those done; absent in schema 1. */
  calls?: { planned: number | null; done: number };
  /**
   * A sharded run (`--shards`, issue 28): the generator that ran the shards, how many, and the
   * start skew across them (src/generator/skew.ts; null when a shard wrote no clock file).
   */
  generator?: LocalGenerator | LambdaGenerator;
}

export interface LocalGenerator { kind: "local"; shards: number; startMarginMs: number; startSkew: StartSkewFigures | null }

/** The Lambda generator (issue 28): local's fields, plus the drivers, where, and the execution. */
export interface LambdaGenerator {
  kind: "lambda";
  shards: number;
  startMarginMs: number;
  startSkew: StartSkewFigures | null;
  /** The drivers' memory, architecture and version (the stack's tags; a driver's own WindowEnd where one was written). */
  driver: { memoryMb: number; architecture: string; version: string };
  region: string;
  stateMachineArn: string;
  executionArn: string | null;
  /** Where the drivers' objects stay: s3://<bucket>/runs/<run id>/. */
  objects: string;
}

/** The start skew as provenance keeps it (generator/skew.ts's StartSkew). */
export interface StartSkewFigures {
  shards: number;
  startSkewMs: number;
  firstSendSkewMs: number | null;
  lastSendSkewMs: number | null;
  latest: { shard: number; lateMs: number };
}

/** A run's interruption as one phrase, "INTERRUPTED at 355 of 3,000 calls (signal: SIGINT)", or null. */
export function interruptionOf(p: Provenance | null | undefined): string | null {
  if (!p?.interrupted) return null;
  const n = (x: number) => x.toLocaleString("en-US");
  const at = p.calls ? ` at ${n(p.calls.done)}${p.calls.planned !== null ? ` of ${n(p.calls.planned)}` : ""} calls` : "";
  return `INTERRUPTED${at} (${p.interrupted.reason}: ${p.interrupted.detail})`;
}

const ROOT = path.resolve(__dirname, "..", "..", "..");

/** lambda-bench's version from package.json, and the git commit of its checkout when it is one. */
export function toolVersion(root = ROOT): Provenance["tool"] {
  let version: string | null = null;
  try {
    const pkgFile = [path.join(root, "package.json"), path.resolve(__dirname, "..", "..", "package.json")].find((f) => fs.existsSync(f));
    if (pkgFile) version = (JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { version?: string }).version ?? null;
  } catch {
    version = null;
  }
  let gitCommit: string | null = null;
  try {
    const out = execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, stdio: ["ignore", "pipe", "ignore"], timeout: 5000 }).toString().trim();
    if (/^[0-9a-f]{40}$/.test(out)) gitCommit = out;
  } catch {
    gitCommit = null;
  }
  return { name: "lambda-bench", version, gitCommit };
}

export function clientInfo(): Provenance["client"] {
  const cpus = os.cpus();
  return {
    node: process.version, os: `${os.type()} ${os.release()}`, arch: process.arch,
    cpus: cpus.length, cpuModel: cpus[0]?.model ?? null, hostname: os.hostname(),
  };
}

export function payloadInfo(payload: Uint8Array): Provenance["payload"] {
  return { sha256: createHash("sha256").update(payload).digest("hex"), bytes: payload.byteLength };
}

/** The account id from sts:GetCallerIdentity, or null when STS does not answer (never an error). */
export async function accountId(lambda: LambdaClient, endpoint?: string): Promise<string | null> {
  try {
    const credentials = await lambda.config.credentials();
    return await callerAccount({ region: await lambda.config.region(), credentials, endpoint });
  } catch {
    return null;
  }
}

/**
 * The function as measured: GetFunction (configuration, CodeSha256, the image URI and the digest it
 * resolved to), or else the configuration already read, or else only its name (an emulator).
 */
export async function functionInfo(
  lambda: LambdaClient, name: string, qualifier: string | null, known?: FunctionConfiguration,
): Promise<FunctionProvenance> {
  let config = known;
  let code: { ImageUri?: string; ResolvedImageUri?: string } | undefined;
  try {
    const r = await lambda.send(new GetFunctionCommand({ FunctionName: name, Qualifier: qualifier ?? undefined }));
    config = r.Configuration ?? config;
    code = r.Code;
  } catch {
    // An emulator that serves Invoke only: what is known is kept.
  }
  return {
    name,
    arn: config?.FunctionArn ?? null,
    qualifier,
    memoryMb: config?.MemorySize ?? null,
    architecture: config?.Architectures?.[0] ?? null,
    timeoutS: config?.Timeout ?? null,
    ephemeralStorageMb: config?.EphemeralStorage?.Size ?? null,
    packageType: config?.PackageType ?? null,
    runtime: config?.Runtime ?? null,
    envKeys: Object.keys(config?.Environment?.Variables ?? {}).sort(),
    codeSha256: config?.CodeSha256 ?? null,
    imageUri: normaliseImageUri(code?.ImageUri),
    resolvedImageUri: normaliseImageUri(code?.ResolvedImageUri),
    lastModified: config?.LastModified ?? null,
  };
}

/**
 * An image reference in one form, `repo@sha256:<hex>` (or `repo:tag`): moto's ResolvedImageUri
 * repeats the algorithm (`hello@sha256@sha256:8203...`), which would otherwise be stored, shown and
 * compared as another image.
 */
export function normaliseImageUri(uri: string | null | undefined): string | null {
  if (!uri) return null;
  return uri.replace(/(?:@sha256)+[:@](?=[0-9a-f]+$)/, "@sha256:");
}

export interface ProvenanceInput {
  lambda: LambdaClient;
  endpoint?: string;
  region: string;
  benchmark: string;
  functionName: string;
  qualifier?: string | null;
  configuration?: FunctionConfiguration;
  payload: Uint8Array;
  workload: Workload;
  seed?: number | null;
  plan: Provenance["plan"];
  command: string[];
  startedAt: Date;
}

/** Everything but the end time, collected before the first invocation. */
export async function collectProvenance(i: ProvenanceInput): Promise<Provenance> {
  const [account, fn] = await Promise.all([
    accountId(i.lambda, i.endpoint),
    functionInfo(i.lambda, i.functionName, i.qualifier ?? null, i.configuration),
  ]);
  return {
    schema: PROVENANCE_SCHEMA,
    runId: randomUUID(),
    tool: toolVersion(),
    command: i.command,
    startedAt: i.startedAt.toISOString(),
    endedAt: null,
    region: i.region,
    accountId: account,
    benchmark: i.benchmark,
    function: fn,
    payload: payloadInfo(i.payload),
    workload: i.workload,
    seed: i.seed ?? null,
    plan: i.plan,
    client: clientInfo(),
  };
}

/** Where a run file's provenance goes: `runs/aes.jsonl` -> `runs/aes.jsonl.meta.json`. */
export const metaPathFor = (out: string): string => `${out}.meta.json`;

export function writeProvenance(file: string, p: Provenance): void {
  fs.writeFileSync(file, `${JSON.stringify(p, null, 2)}\n`);
}

/** A run file's provenance when its sidecar exists and parses, else null. */
export function readProvenance(runFile: string): Provenance | null {
  const candidates = [metaPathFor(runFile), runFile.replace(/\.jsonl$/, ".meta.json")];
  for (const f of candidates) {
    if (!fs.existsSync(f)) continue;
    try {
      const p = JSON.parse(fs.readFileSync(f, "utf8")) as Provenance;
      if (p && typeof p === "object" && (p.schema === 1 || p.schema === PROVENANCE_SCHEMA)) return p;
    } catch {
      return null;
    }
  }
  return null;
}

/** What differs between two runs' provenance that makes a comparison not like for like. */
export function provenanceDifferences(a: Provenance | null, b: Provenance | null): string[] {
  if (!a || !b) return a === b ? ["neither run has provenance (.meta.json): cannot check they are like for like"]
    : [`${a ? "B" : "A"} has no provenance (.meta.json): cannot check the runs are like for like`];
  const out: string[] = [];
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  const fa = a.function ?? {};
  const fb = b.function ?? {};
  const config = (f: FunctionProvenance) => ({ memoryMb: f.memoryMb, architecture: f.architecture, timeoutS: f.timeoutS,
    ephemeralStorageMb: f.ephemeralStorageMb, packageType: f.packageType, runtime: f.runtime, envKeys: f.envKeys });
  const ca = config(fa);
  const cb = config(fb);
  const changed = (Object.keys(ca) as (keyof typeof ca)[]).filter((k) => !same(ca[k], cb[k]));
  if (changed.length) out.push(`configuration differs: ${changed.map((k) => `${k} ${JSON.stringify(ca[k])} vs ${JSON.stringify(cb[k])}`).join(", ")}`);
  // Sidecars written before digests were normalised are read in the one form too.
  const image = (f: Partial<FunctionProvenance>) => normaliseImageUri(f.resolvedImageUri ?? f.imageUri);
  if (!same([fa.codeSha256, image(fa)], [fb.codeSha256, image(fb)])) {
    out.push(`image differs: ${image(fa) ?? fa.codeSha256 ?? "?"} vs ${image(fb) ?? fb.codeSha256 ?? "?"}`);
  }
  if (a.payload?.sha256 !== b.payload?.sha256) out.push(`payload differs: sha256 ${a.payload?.sha256.slice(0, 12)} (${a.payload?.bytes} B) vs ${b.payload?.sha256.slice(0, 12)} (${b.payload?.bytes} B)`);
  if (!same(a.workload, b.workload)) out.push(`workload differs: ${JSON.stringify(a.workload)} vs ${JSON.stringify(b.workload)}`);
  if (a.region !== b.region) out.push(`region differs: ${a.region} vs ${b.region}`);
  return out.map((m) => `${m} (not like for like)`);
}

/** The command line as typed: `lambda-bench` and the arguments commander was given. */
export function commandLine(cmd: { parent?: unknown; rawArgs?: string[] } | null | undefined): string[] {
  let root = cmd as { parent?: unknown; rawArgs?: string[] } | null | undefined;
  while (root?.parent) root = root.parent as typeof root;
  return ["lambda-bench", ...(root?.rawArgs ?? process.argv.slice(2))];
}

/** The provenance of a run prepared by run-support's `prepare`, before its first call. */
export function provenanceOf(
  run: { client: LambdaClient; region: string; benchmark: string; target: { functionName: string; qualifier?: string }; configuration?: FunctionConfiguration; plan: { invocations: number; concurrency: number; cold: number; payload: Uint8Array } },
  o: { endpoint?: string },
  cmd: unknown,
  extra: { workload?: Workload; seed?: number | null; plan?: Provenance["plan"] } = {},
): Promise<Provenance> {
  return collectProvenance({
    lambda: run.client, endpoint: o.endpoint, region: run.region, benchmark: run.benchmark,
    functionName: run.target.functionName, qualifier: run.target.qualifier ?? null, configuration: run.configuration,
    payload: run.plan.payload, workload: extra.workload ?? closedWorkload(run.plan), seed: extra.seed ?? DEFAULT_SEED,
    plan: { invocations: run.plan.invocations, concurrency: run.plan.concurrency, cold: run.plan.cold, ...extra.plan },
    command: commandLine(cmd as { parent?: unknown; rawArgs?: string[] }), startedAt: new Date(),
  });
}

/** One line saying what a run measured and with what: for `report` and `compare`. */
export function describeProvenance(p: Provenance): string {
  // Written by hand or by an older version, a sidecar may lack fields: say "?" rather than fail.
  const f: Partial<FunctionProvenance> = p.function ?? {};
  // Deployed by digest (DESIGN section 3), the image URI names it; else the digest Lambda resolved.
  const image = normaliseImageUri(f.imageUri?.includes("@sha256:") ? f.imageUri : f.resolvedImageUri ?? f.imageUri);
  const tool = `lambda-bench ${p.tool?.version ?? "?"}${p.tool?.gitCommit ? ` (${p.tool.gitCommit.slice(0, 7)})` : ""}`;
  const what = [
    `${f.name ?? p.benchmark ?? "?"} ${f.memoryMb ?? "?"} MB ${f.architecture ?? "?"}`,
    image ? `image ${image.replace(/^.*\//, "")}` : f.codeSha256 ? `code ${f.codeSha256.slice(0, 12)}` : null,
    p.payload ? `payload ${p.payload.sha256.slice(0, 12)} (${p.payload.bytes} B)` : null,
    `${p.workload?.shape ?? "?"} workload`,
    p.seed != null ? `seed ${p.seed}` : null,
    `${p.region ?? "?"}${p.accountId ? ` ${p.accountId}` : ""}`,
    p.startedAt ? `${p.startedAt} to ${p.endedAt ?? "?"}` : null,
    `${tool}${p.client?.hostname ? ` on ${p.client.hostname}` : ""}`,
  ].filter(Boolean);
  return `run ${p.runId?.slice(0, 8) ?? "?"}: ${what.join(", ")}`;
}
