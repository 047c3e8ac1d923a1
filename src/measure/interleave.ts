// `measure --repeat R --interleave A,B`: which side runs first in each repetition, in a seeded
// random order, so a drift over time (a noisy neighbour, a warming cache) falls on both sides alike
// instead of passing for a difference between them.
import { LIMITS } from "../manifest/schema";
import { Rng } from "../rng";

export type Interleave =
  | { kind: "memory"; sides: [number, number] }
  | { kind: "function"; sides: [string, string] };

/** `A,B`: two memory sizes in MB, or two benchmarks / function names. Null when malformed. */
export function parseInterleave(value: string): Interleave | string {
  const parts = value.split(",").map((v) => v.trim());
  if (parts.length !== 2 || parts.some((p) => p === "")) return `--interleave takes two sides, A,B; got ${JSON.stringify(value)}`;
  if (parts[0] === parts[1]) return `--interleave names ${parts[0]} twice`;
  const numeric = parts.map((p) => /^\d+$/.test(p));
  if (numeric[0] !== numeric[1]) return `--interleave takes two memory sizes or two functions, not one of each; got ${JSON.stringify(value)}`;
  if (!numeric[0]) return { kind: "function", sides: [parts[0], parts[1]] };
  const sizes = parts.map(Number);
  const bad = sizes.find((m) => m < LIMITS.memory.min || m > LIMITS.memory.max);
  if (bad !== undefined) return `--interleave memory sizes must be ${LIMITS.memory.min} to ${LIMITS.memory.max} MB; got ${bad}`;
  return { kind: "memory", sides: [sizes[0], sizes[1]] };
}

/** For each of R repetitions, the order of the sides (0 = A, 1 = B): a seeded coin per repetition. */
export function interleaveOrder(repetitions: number, seed: number): [0 | 1, 0 | 1][] {
  const rng = new Rng(seed);
  return Array.from({ length: repetitions }, () => (rng.next() < 0.5 ? [0, 1] : [1, 0]));
}

/** Where a side's records go: `runs/x.jsonl` -> `runs/x-1024mb.jsonl` or `runs/x-<function>.jsonl`. */
export function sideFile(out: string, side: number | string): string {
  const stem = out.replace(/\.jsonl$/, "");
  return `${stem}-${typeof side === "number" ? `${side}mb` : side}.jsonl`;
}
