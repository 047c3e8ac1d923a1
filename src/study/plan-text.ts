// `lambda-bench run --plan`'s text: each experiment's matrix, every run in order with its calls and
// (when --out holds a study.json) what a resume would do with it, and the estimate with its
// assumptions spelled out.
import { PRICE_DATE } from "../aws/pricing";
import { textTable } from "../summary/text-table";
import { formatDuration } from "../workload/duration";
import { runFigures, type Estimate } from "./estimate";
import type { Study } from "./load";
import { cellsOf, type Plan } from "./plan";
import type { Resume } from "./state";

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

export function formatPlan(study: Study, plan: Plan, est: Estimate, resume?: Resume): string {
  const lines: string[] = [];
  lines.push(`${study.file}: ${plural(study.experiments.length, "experiment")}, ${plural(plan.cells.length, "cell")}, ${plural(plan.steps.length, "run")}`);
  for (const e of study.experiments) {
    const dims = [plural(e.benchmarks.length, "benchmark"), e.memory ? plural(e.memory.length, "memory size") : "deployed memory", plural(e.workloads.length, "workload")];
    lines.push(`  ${e.name}: ${dims.join(" x ")} = ${plural(cellsOf(e).length, "cell")}, ${plural(e.repeat, "repetition")}, ${e.order}` +
      `${e.generator ? `, ${plural(e.generator.shards, "shard")} (not sharded by run yet: one process)` : ""}`);
  }
  const calls = new Map(plan.cells.map((c) => [c, runFigures(c, est.prices.prices, est.assumptions).calls]));
  const w = String(plan.steps.length).length;
  const rows = [[`${"#".padStart(w)}  run file`, "calls", ...(resume ? ["action"] : [])]];
  plan.steps.forEach((s, i) => rows.push([`${String(i + 1).padStart(w)}  ${s.file}`, String(calls.get(s.cell)), ...(resume ? [resume.steps[i].action] : [])]));
  lines.push(textTable(rows));
  if (resume) {
    const count = (a: string) => resume.steps.filter((s) => s.action === a).length;
    lines.push(`resume: ${count("skip")} complete (skipped), ${count("rerun")} cut short or missing (rerun whole), ${count("run")} to run`);
  }
  const a = est.assumptions;
  lines.push(`${plural(est.calls, "call")} in all; about ${formatDuration(est.ms)} and $${est.usd.toFixed(6)} (${est.prices.region} prices of ${PRICE_DATE})`);
  lines.push(`estimate assumes ${formatDuration(a.callMs)} a call (round trip and billed) and ${formatDuration(a.updateMs)} a configuration update ` +
    `(each forced cold start; ${plural(est.memoryUpdates, "memory update")}, sizes put back at the end); open workloads last their schedule`);
  if (est.prices.note) lines.push(est.prices.note);
  return `${lines.join("\n")}\n`;
}
