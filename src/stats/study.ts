// Seeded synthetic runs where the truth is known, for the coverage studies of the tests and of
// bench/coverage.ts: k repetitions a side of m calls, each call lognormal around the side's median
// (log-sd `within`), each repetition scaled by its own lognormal offset (log-sd `between`), values
// rounded to 0.01 ms as a REPORT's are. B's median is `ratio` times A's, so the true B/A is `ratio`.
import { Rng } from "../rng";
import { sampleOfValues, type Sample } from "./samples";

export interface StudyModel {
  k: number;
  perRepetition: number;
  within: number;
  between: number;
  ratio: number;
  /** Interleaved: A and B share each repetition's offset (and carry the same repetition keys). */
  paired?: boolean;
}

/** One study's two sides. */
export function studySides(rng: Rng, m: StudyModel, median = 100): { a: Sample; b: Sample } {
  const ca: number[][] = [];
  const cb: number[][] = [];
  const call = (med: number, offset: number) => Math.round(med * offset * Math.exp(m.within * rng.normal()) * 100) / 100;
  for (let r = 0; r < m.k; r++) {
    const oa = Math.exp(m.between * rng.normal());
    const ob = m.paired ? oa : Math.exp(m.between * rng.normal());
    ca.push(Array.from({ length: m.perRepetition }, () => call(median, oa)));
    cb.push(Array.from({ length: m.perRepetition }, () => call(median * m.ratio, ob)));
  }
  const keys = ca.map((_, i) => i);
  return { a: { ...sampleOfValues(ca, 100), keys }, b: { ...sampleOfValues(cb, 100), keys } };
}
