// `lambda-bench compare <A> <B> [more...]`: B (and each further run) against A, metric by metric,
// with bootstrap intervals of the ratio; `--fail-if-slower 5%` makes it a CI regression gate.
import { Option, type Command } from "commander";
import { slowerBeyond } from "../../compare/compare";
import { formatCompare } from "../../compare/format";
import { COMPARE_METRICS, type CompareMetric } from "../../compare/metrics";
import { compareInputs } from "../../compare/run";
import { jsonAtPrecision } from "../../compare/json";
import { ReportInputError } from "../../runs/read";
import { DEFAULT_RESAMPLES, DEFAULT_SEED } from "../../stats/bootstrap";
import { UserError } from "../errors";
import type { Io } from "../io";
import { positiveInt } from "../options";

export function metricList(value: string): CompareMetric[] {
  const names = value.split(",").map((v) => v.trim());
  for (const n of names) {
    if (!(COMPARE_METRICS as readonly string[]).includes(n)) {
      throw new UserError(`--metric takes ${COMPARE_METRICS.join(", ")} (comma-separated); got ${JSON.stringify(n)}`, 2);
    }
  }
  return [...new Set(names)] as CompareMetric[];
}

/** `5%`, `5` or `0.5%`: a fraction (0.05). */
export function percent(value: string): number {
  const m = /^(\d+(?:\.\d+)?)%?$/.exec(value.trim());
  if (!m || Number(m[1]) >= 1000) throw new UserError(`--fail-if-slower takes a percentage such as 5%; got ${JSON.stringify(value)}`, 2);
  return Number(m[1]) / 100;
}

export function registerCompare(program: Command, io: Io): void {
  program.command("compare")
    .description("compare runs: B (and more) against A, as ratios of medians with 95% bootstrap intervals")
    .argument("<A>", "the baseline: a run .jsonl file, or a folder of them (a sweep, a suite)")
    .argument("<B>", "the run to compare against A: a file, or a folder matched to A's by benchmark and memory size")
    .argument("[more...]", "further runs, each compared against A")
    .addOption(new Option("--metric <names>", `what to compare, comma-separated: ${COMPARE_METRICS.join(", ")}`)
      .argParser(metricList).default(["duration"], "duration"))
    .option("--json", "print the comparison as one JSON object")
    .option("--fail-if-slower <pct>", "exit 1 when B's median is slower than A's by more than pct, the whole interval above it too, or B fails more often than A beyond noise (a CI gate)", percent)
    .option("--allow-different", "compare runs of different functions or benchmarks (refused without it)")
    .option("--allow-partial", "let --fail-if-slower judge runs that were cut short (interrupted); without it such a run is refused")
    .option("--resamples <R>", "bootstrap resamples", positiveInt("--resamples", 100), DEFAULT_RESAMPLES)
    .option("--seed <S>", "the bootstrap's seed", positiveInt("--seed", 0), DEFAULT_SEED)
    .action(async (a: string, b: string, more: string[], o: { metric: CompareMetric[]; json?: boolean; failIfSlower?: number; resamples: number; seed: number; allowDifferent?: boolean; allowPartial?: boolean }) => {
      let result;
      try {
        result = await compareInputs([a, b, ...more], o.metric, {
          resamples: o.resamples, seed: o.seed, allowDifferent: o.allowDifferent, warn: (m) => io.err(`lambda-bench: warning: ${m}\n`),
        });
      } catch (err) {
        if (err instanceof ReportInputError) throw new UserError(err.message);
        throw err;
      }
      const gate = o.failIfSlower;
      // A gate on a run cut short would pass or fail a build on part of a run: refused unless asked for.
      const partial = gate === undefined || o.allowPartial ? undefined : result.pairs.flatMap((p) => p.partial)[0];
      if (partial) {
        throw new UserError(`--fail-if-slower: ${partial.file} is ${partial.interruption}; rerun it, or pass --allow-partial to judge it anyway`);
      }
      // A B that fails more often than A beyond noise fails the gate whatever its speed: a crash is
      // no speed-up, and its fast failures are no samples (README, compare).
      const slow = gate === undefined ? [] : result.pairs.flatMap((p) => p.metrics.filter((m) => slowerBeyond(m, gate))
        .map((m) => `${p.b.key} ${m.metric} ${m.text.replace(/^B is /, "is ")}`));
      const failing = gate === undefined ? [] : result.pairs.filter((p) => p.errors.verdict === "more errors")
        .map((p) => `${p.b.key} ${p.errors.text.replace(/^B fails more often than A: /, "")}`);
      const failed = [...failing, ...slow];
      io.out(o.json
        ? `${JSON.stringify(jsonAtPrecision({ ...result, gate: gate === undefined ? null : { failIfSlower: gate, failed } }))}\n`
        : formatCompare(result));
      if (result.pairs.length === 0) throw new UserError(`no runs of ${[b, ...more].join(", ")} match a run of ${a}: compare runs of the same benchmark or memory size`);
      if (failed.length) {
        throw new UserError([
          ...(failing.length ? [`fails more often than ${a}: ${failing.join("; ")}`] : []),
          ...(slow.length ? [`slower than ${a} by more than ${+(gate! * 100).toFixed(2)}%: ${slow.join("; ")}`] : []),
        ].join("; "));
      }
    });
}
