// aes: AES-256 (CTR or GCM, node:crypto) over a generated plaintext, `rounds` times, each round
// encrypting the previous round's output. CPU-bound, so its duration follows the memory size's
// CPU share. Returns a digest of the final output so a result can be checked, and the time spent
// inside the handler (to set against Lambda's billed duration).
import { createCipheriv, createHash } from "node:crypto";

export type Mode = "ctr" | "gcm";

export interface AesEvent {
  /** Plaintext length in bytes (default 16 KiB, at most 64 MiB). */
  length?: number;
  /** How many times to encrypt (default 10, at most 100000). */
  rounds?: number;
  /** Cipher mode (default ctr). */
  mode?: Mode;
}

export interface AesResult {
  mode: Mode;
  length: number;
  rounds: number;
  /** sha256 of the final round's output, hex. */
  digest: string;
  handlerMs: number;
}

// Fixed key and IV: the workload must be the same on every invocation to be comparable.
const KEY = createHash("sha256").update("lambda-bench aes key").digest();
const IV = createHash("sha256").update("lambda-bench aes iv").digest().subarray(0, 16);

/** One AES-256 encryption; GCM uses the first 12 bytes of the IV and appends nothing (tag dropped). */
export function encrypt(plaintext: Buffer, key: Buffer, iv: Buffer, mode: Mode): Buffer {
  const cipher = mode === "gcm"
    ? createCipheriv("aes-256-gcm", key, iv.subarray(0, 12))
    : createCipheriv("aes-256-ctr", key, iv);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]);
}

/** A deterministic plaintext of `length` bytes: sha256 in counter mode. */
export function plaintext(length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let block = 0, off = 0; off < length; block++, off += 32) {
    createHash("sha256").update(`lambda-bench plaintext ${block}`).digest().copy(out, off);
  }
  return out;
}

function bounded(value: unknown, name: string, dflt: number, max: number): number {
  if (value === undefined) return dflt;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`${name} must be a whole number from 1 to ${max}; got ${JSON.stringify(value)}`);
  }
  return value;
}

export async function handler(event: AesEvent | null | undefined): Promise<AesResult> {
  const t0 = process.hrtime.bigint();
  const length = bounded(event?.length, "length", 16 * 1024, 64 * 1024 * 1024);
  const rounds = bounded(event?.rounds, "rounds", 10, 100_000);
  const mode = event?.mode ?? "ctr";
  if (mode !== "ctr" && mode !== "gcm") throw new Error(`mode must be ctr or gcm; got ${JSON.stringify(mode)}`);
  let data = plaintext(length);
  for (let r = 0; r < rounds; r++) data = encrypt(data, KEY, IV, mode);
  const digest = createHash("sha256").update(data).digest("hex");
  return { mode, length, rounds, digest, handlerMs: Number(process.hrtime.bigint() - t0) / 1e6 };
}
