// The coverage table of the README's statistics section: for k repetitions a side, how often each
// method's 95% interval of the median ratio B/A covers the true 1.10, over seeded studies
// (src/stats/study.ts: 50 calls a repetition, log-sd 0.3 within a repetition, 0.1 between them).
//   node dist/bench/coverage.js [studies=1000] [resamples=1000] [k,k,...]
import { Rng } from "../src/rng";
import { quantileRatio, type RatioMethod } from "../src/stats/ratio";
import { T_METHOD } from "../src/stats/rep-t";
import { studySides, type StudyModel } from "../src/stats/study";

const studies = Number(process.argv[2] ?? 1000);
const resamples = Number(process.argv[3] ?? 1000);
const ks = (process.argv[4] ?? "1,2,3,5,10,20,30,50").split(",").map(Number);
const model = (k: number, paired = false): StudyModel => ({ k, perRepetition: 50, within: 0.3, between: 0.1, ratio: 1.1, paired });

function coverage(k: number, method: RatioMethod, paired: boolean): string {
  const rng = new Rng(20261204 + k);
  let covered = 0;
  let width = 0;
  for (let i = 0; i < studies; i++) {
    const { a, b } = studySides(rng, model(k, paired));
    const r = quantileRatio(a, b, 0.5, { seed: i, resamples, paired, forceMethod: method }).ratio;
    if (r.lo <= 1.1 && 1.1 <= r.hi) covered++;
    width += r.hi / r.lo;
  }
  return `${((100 * covered) / studies).toFixed(1)}% (x${(width / studies).toFixed(3)})`;
}

console.log(`${studies} studies a cell, ${resamples} resamples; coverage of the 95% interval of B/A (mean hi/lo)`);
console.log(["k", "bootstrap (calls)", "cluster bootstrap", T_METHOD, "paired cluster bootstrap", "paired t"].join(" | "));
for (const k of ks) {
  const row = [String(k), coverage(k, "bootstrap", false)];
  if (k >= 2) {
    row.push(coverage(k, "cluster bootstrap", false), coverage(k, T_METHOD, false),
      coverage(k, "paired cluster bootstrap", true), coverage(k, "paired t-interval on repetition log quantiles", true));
  }
  console.log(row.join(" | "));
}
