// What the driver, mappers and reducers agree on: the partition function, the object layout in
// the data bucket, the events they pass, and their AWS clients.
import { LambdaClient } from "@aws-sdk/client-lambda";
import { S3Client } from "@aws-sdk/client-s3";

/**
 * FNV-1a (32-bit) over the word's UTF-8 bytes: the same word reaches the same reducer in every
 * mapper and every run. (vSwarm partitions with Python's hash(), salted per process, so one word
 * can be counted by two reducers.)
 */
export function partition(word: string, reducers: number): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(word, "utf8")) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % reducers;
}

/** Words of a text: lower-cased runs of letters and digits. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

export const intermediateKey = (job: string, mapper: number, reducer: number) => `${job}/map/m${mapper}/r${reducer}.json`;
export const outputKey = (job: string, reducer: number) => `${job}/reduce/r${reducer}.json`;

export interface MapperEvent {
  bucket: string;
  job: string;
  mapper: number;
  reducers: number;
  keys: string[];
}

export interface MapperResult {
  mapper: number;
  objects: number;
  words: number;
  written: number;
}

export interface ReducerEvent {
  bucket: string;
  job: string;
  reducer: number;
  mappers: number;
  top: number;
}

export interface WordCount {
  word: string;
  count: number;
}

export interface ReducerResult {
  reducer: number;
  words: number;
  distinct: number;
  top: WordCount[];
}

/** Most frequent first; ties by word, so results are deterministic. */
export function topWords(counts: Iterable<[string, number]>, n: number): WordCount[] {
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n).map(([word, count]) => ({ word, count }));
}

export function requireEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: deploy with lambda-bench's benchmarks.yaml, which sets it`);
  return v;
}

// Clients from the runtime's AWS SDK v3, configured by the environment (AWS_REGION, and
// AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_LAMBDA where a test points them at loopback servers).
let s3: S3Client | undefined;
let lambda: LambdaClient | undefined;
export const clients = {
  s3: () => (s3 ??= new S3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === "true" })),
  lambda: () => (lambda ??= new LambdaClient({})),
};

export async function bodyText(body: { transformToString(): Promise<string> } | undefined): Promise<string> {
  return body ? body.transformToString() : "";
}
