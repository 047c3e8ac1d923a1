// The driver: optionally writes a synthetic corpus, then runs `mappers` mapper functions in
// parallel through the Lambda API, then `reducers` reducer functions, and waits for every one.
// A failed mapper or reducer fails the job with its error; none is left running unobserved.
import { InvokeCommand } from "@aws-sdk/client-lambda";
import { ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { randomUUID } from "node:crypto";
import { corpusObject } from "./corpus";
import {
  clients, requireEnv, topWords,
  type MapperEvent, type MapperResult, type ReducerEvent, type ReducerResult, type WordCount,
} from "./shared";

export interface DriverEvent {
  /** Where the input objects are (a key prefix in the data bucket). */
  inputPrefix?: string;
  mappers?: number;
  reducers?: number;
  /** How many top words to return. */
  top?: number;
  /** Write a synthetic corpus to inputPrefix first. */
  generate?: { objects: number; bytesPerObject: number; seed?: number };
  /** Prefix of this job's intermediate and output objects (default: jobs/<uuid>). */
  job?: string;
}

export interface DriverResult {
  job: string;
  mappers: number;
  reducers: number;
  objects: { input: number; intermediate: number; output: number };
  words: number;
  distinct: number;
  top: WordCount[];
  timesMs: { generate: number; map: number; reduce: number; total: number };
}

function count(name: string, v: unknown, fallback: number, max: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > max) {
    throw new Error(`${name} must be a whole number from 1 to ${max}; got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Invokes a function synchronously; a function error becomes an exception naming the worker. */
async function invoke<T>(functionName: string, what: string, event: unknown): Promise<T> {
  const res = await clients.lambda().send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(event)) }));
  const text = res.Payload ? Buffer.from(res.Payload).toString("utf8") : "";
  if (res.FunctionError) {
    let detail = text;
    try {
      const e = JSON.parse(text) as { errorType?: string; errorMessage?: string };
      detail = `${e.errorType ?? res.FunctionError}: ${e.errorMessage ?? ""}`;
    } catch { /* keep the raw payload */ }
    throw new Error(`${what} failed (${res.FunctionError}): ${detail}`);
  }
  return JSON.parse(text) as T;
}

/** Runs every task, waits for all of them, and reports every failure, not just the first. */
async function all<T>(tasks: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(tasks);
  const failed = settled.filter((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed.length) throw new Error(failed.map((f) => (f.reason as Error).message).join("; "));
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

async function listKeys(bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await clients.s3().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

export async function drive(event: DriverEvent = {}): Promise<DriverResult> {
  const t0 = performance.now();
  const bucket = requireEnv("DATA_BUCKET");
  const mapperFn = requireEnv("MAPPER_FUNCTION");
  const reducerFn = requireEnv("REDUCER_FUNCTION");
  const mappers = count("mappers", event.mappers, 4, 1000);
  const reducers = count("reducers", event.reducers, 2, 1000);
  const top = count("top", event.top, 10, 10_000);
  const inputPrefix = event.inputPrefix ?? "corpus/";
  const job = event.job ?? `jobs/${randomUUID()}`;

  if (event.generate) {
    const objects = count("generate.objects", event.generate.objects, 1, 100_000);
    const bytes = count("generate.bytesPerObject", event.generate.bytesPerObject, 1, 100 * 1024 * 1024);
    const seed = event.generate.seed ?? 1;
    await all(Array.from({ length: objects }, (_, i) => clients.s3().send(new PutObjectCommand({
      Bucket: bucket, Key: `${inputPrefix}part-${String(i).padStart(5, "0")}.txt`, Body: corpusObject(seed, i, bytes), ContentType: "text/plain",
    }))));
  }
  const t1 = performance.now();

  const keys = await listKeys(bucket, inputPrefix);
  if (keys.length === 0) throw new Error(`no input objects under s3://${bucket}/${inputPrefix}: pass generate to write a corpus`);
  const mapped = await all(Array.from({ length: mappers }, (_, m) => invoke<MapperResult>(mapperFn, `mapper ${m} of ${mappers}`, {
    bucket, job, mapper: m, reducers, keys: keys.filter((_, i) => i % mappers === m),
  } satisfies MapperEvent)));
  const t2 = performance.now();

  const reduced = await all(Array.from({ length: reducers }, (_, r) => invoke<ReducerResult>(reducerFn, `reducer ${r} of ${reducers}`, {
    bucket, job, reducer: r, mappers, top,
  } satisfies ReducerEvent)));
  const t3 = performance.now();

  // Partitions are disjoint, so the job's top words are the top of the reducers' tops.
  const tops = reduced.flatMap((r) => r.top.map((w) => [w.word, w.count] as [string, number]));
  const words = reduced.reduce((a, r) => a + r.words, 0);
  const mappedWords = mapped.reduce((a, m) => a + m.words, 0);
  if (words !== mappedWords) throw new Error(`reducers counted ${words} words but mappers emitted ${mappedWords}`);
  return {
    job,
    mappers,
    reducers,
    objects: { input: keys.length, intermediate: mapped.reduce((a, m) => a + m.written, 0), output: reducers },
    words,
    distinct: reduced.reduce((a, r) => a + r.distinct, 0),
    top: topWords(tops, top),
    timesMs: { generate: t1 - t0, map: t2 - t1, reduce: t3 - t2, total: t3 - t0 },
  };
}
