// Coverage of compare's 95% intervals at few and many repetitions, on seeded studies where the truth
// is known (src/stats/study.ts: B's median exactly 1.10x A's; 50 calls a repetition, log-sd 0.3
// within a repetition, 0.1 between them). The README's table comes from bench/coverage.ts with more
// studies; these run the same studies at several k, each in a few seconds.
import { strict as assert } from "node:assert";
import { Rng } from "../src/rng";
import { quantileRatio, ratioMethod, type RatioMethod } from "../src/stats/ratio";
import { studySides } from "../src/stats/study";

function coverage(k: number, studies: number, seed: number, o: { paired?: boolean; forceMethod?: RatioMethod; resamples?: number } = {}): { covered: number; methods: Set<string> } {
  const rng = new Rng(seed);
  let covered = 0;
  const methods = new Set<string>();
  for (let i = 0; i < studies; i++) {
    const { a, b } = studySides(rng, { k, perRepetition: 50, within: 0.3, between: 0.1, ratio: 1.1, paired: o.paired });
    const r = quantileRatio(a, b, 0.5, { seed: i, resamples: o.resamples ?? 500, paired: o.paired, forceMethod: o.forceMethod });
    methods.add(r.method);
    if (r.ratio.lo <= 1.1 && 1.1 <= r.ratio.hi) covered++;
  }
  return { covered: covered / studies, methods };
}

describe("stats: coverage at any number of repetitions", function () {
  this.timeout(60_000);

  for (const k of [2, 3, 5, 10]) {
    it(`k = ${k} a side: the t interval on repetition log medians covers 1.10 in 93-97% of 1,000 studies`, () => {
      const c = coverage(k, 1000, 26_000 + k);
      assert.deepEqual([...c.methods], ["t-interval on repetition log quantiles"]);
      assert.ok(c.covered >= 0.93 && c.covered <= 0.97, `covered ${c.covered}`);
    });
  }

  for (const k of [2, 5, 10]) {
    it(`k = ${k} interleaved: the paired t interval covers 1.10 in 93-97% of 1,000 studies`, () => {
      const c = coverage(k, 1000, 27_000 + k, { paired: true });
      assert.deepEqual([...c.methods], ["paired t-interval on repetition log quantiles"]);
      assert.ok(c.covered >= 0.93 && c.covered <= 0.97, `covered ${c.covered}`);
    });
  }

  it("k = 20 a side: compare switches to the cluster bootstrap, which covers in 93-97% of 400 studies", () => {
    const c = coverage(20, 400, 26_020);
    assert.deepEqual([...c.methods], ["cluster bootstrap"]);
    assert.ok(c.covered >= 0.93 && c.covered <= 0.97, `covered ${c.covered}`);
  });

  it("why: below 20 repetitions the cluster bootstrap undercovers (k = 5: under 91% of 400 studies)", () => {
    const c = coverage(5, 400, 26_005, { forceMethod: "cluster bootstrap" });
    assert.ok(c.covered < 0.91, `covered ${c.covered}`);
  });

  it("the method follows the repetitions: one run a side, 2-19, 20+; paired only with the same repetitions", () => {
    const rng = new Rng(1);
    const sides = (k: number, paired = false) => studySides(rng, { k, perRepetition: 10, within: 0.3, between: 0.1, ratio: 1, paired });
    const one = sides(1);
    const five = sides(5, true);
    const twenty = sides(20, true);
    assert.equal(ratioMethod(one.a, one.b), "bootstrap");
    assert.equal(ratioMethod(five.a, five.b), "t-interval on repetition log quantiles");
    assert.equal(ratioMethod(five.a, five.b, true), "paired t-interval on repetition log quantiles");
    assert.equal(ratioMethod(twenty.a, twenty.b), "cluster bootstrap");
    assert.equal(ratioMethod(twenty.a, twenty.b, true), "paired cluster bootstrap");
    assert.equal(ratioMethod(five.a, twenty.b, true), "t-interval on repetition log quantiles");
  });
});
