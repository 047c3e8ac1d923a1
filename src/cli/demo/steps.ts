// What `lambda-bench demo` runs, in order: each step is a real command of this CLI, run through
// `run()` as a user would type it. A new step (an open-loop workload, say) is one more entry.
import * as path from "node:path";

export interface DemoContext {
  /** The stand-in's Lambda endpoint. */
  endpoint: string;
  /** The root manifest (the package's own benchmarks.yaml). */
  manifest: string;
  /** Where run files and the report go. */
  outDir: string;
}

export interface DemoStep {
  /** What the step shows, one line. */
  title: string;
  /** The command's arguments, as shown to the user. */
  args: (ctx: DemoContext) => string[];
  /** Arguments added but not shown: where the stand-in is. */
  calls?: boolean;
  /** The step starts afresh itself (`run --fresh`, shown): no hidden --force. */
  fresh?: boolean;
  /** Shortens the command's output for the demo (the full output is the command's own). */
  shorten?: (out: string) => string;
}

/** `--manifest F` unless it is the default one (./benchmarks.yaml), as a user would type it. */
const manifestArgs = (ctx: DemoContext) => (ctx.manifest === "benchmarks.yaml" ? [] : ["--manifest", ctx.manifest]);

/** The package's example study, beside its manifest. */
export const exampleStudy = (ctx: DemoContext) => path.join(path.dirname(ctx.manifest), "examples", "experiment.yaml");

/**
 * The study's --out: beside the demo's folder, not in it, so the report step's report stays of the
 * single runs (the study writes its own report.html).
 */
export const studyOut = (ctx: DemoContext) => path.join(path.dirname(ctx.outDir), `${path.basename(ctx.outDir)}-study`);

/** The report of every run the demo made (the study's has its own). */
export const reportFile = (ctx: DemoContext) => path.join(ctx.outDir, "demo-report.html");

export const DEMO_STEPS: readonly DemoStep[] = [
  {
    title: "What `pulumi up` would create for the root manifest (offline, the real program under Pulumi's mocks)",
    args: (ctx) => ["plan", ...(ctx.manifest === "benchmarks.yaml" ? [] : [ctx.manifest])],
    shorten: shortenPlan,
  },
  {
    title: "hello returns at once: Lambda's own overhead, two forced cold starts and 38 warm calls",
    args: (ctx) => ["measure", "hello", "-n", "40", "-c", "4", "--cold", "2", "--out", path.join(ctx.outDir, "hello.jsonl"), ...manifestArgs(ctx)],
    calls: true,
  },
  {
    title: "aes is CPU-bound at 1024 MB",
    args: (ctx) => ["measure", "aes", "-n", "40", "-c", "4", "--cold", "2", "--out", path.join(ctx.outDir, "aes.jsonl"), ...manifestArgs(ctx)],
    calls: true,
  },
  {
    title: "aes at four memory sizes: its CPU share, duration and cost (the original memory is put back)",
    args: (ctx) => ["sweep", "aes", "--memory", "256,512,1024,2048", "-n", "16", "-c", "4", "--out", path.join(ctx.outDir, "aes-sweep"), ...manifestArgs(ctx)],
    calls: true,
  },
  {
    title: "hello under an open loop: 100 calls a second for 3 s, latency counted from each call's scheduled time",
    args: (ctx) => ["measure", "hello", "--rate", "100", "--duration", "3s", "--out", path.join(ctx.outDir, "hello-open.jsonl"), ...manifestArgs(ctx)],
    calls: true,
  },
  {
    title: "The same open loop from 2 worker processes: 200 calls a second for 2 s in 2 shards that together send exactly the one-process schedule, merged call for call",
    args: (ctx) => ["measure", "hello", "--rate", "200", "--duration", "2s", "--shards", "2", "--out", path.join(ctx.outDir, "hello-shards.jsonl"), ...manifestArgs(ctx)],
    calls: true,
  },
  {
    title: "A study as data (examples/experiment.yaml): 2 benchmarks x 2 memory sizes x 2 workloads x 2 repetitions, interleaved, resumable",
    args: (ctx) => ["run", exampleStudy(ctx), "--out", studyOut(ctx), "--fresh", ...manifestArgs(ctx)],
    calls: true,
    fresh: true,
    shorten: shortenStudy,
  },
  {
    title: "Every single run above in one offline HTML report, and every summary on stdout (the study wrote its own)",
    args: (ctx) => ["report", ctx.outDir, "--html", reportFile(ctx)],
    shorten: shortenReport,
  },
];

/** The plan's first benchmark in full, then one line per other top-level resource, then the count. */
export function shortenPlan(out: string): string {
  const lines = out.trimEnd().split("\n");
  const tops = lines.map((l, i) => (l.startsWith("+ ") ? i : -1)).filter((i) => i >= 0);
  if (tops.length < 2) return out;
  const kept = lines.slice(0, tops[1]);
  for (const i of tops.slice(1)) kept.push(lines[i] + (lines[i + 1]?.startsWith("    ") ? "  ..." : ""));
  const count = lines.find((l) => /^\d+ resources? to create/.test(l));
  return `${kept.join("\n")}\n${count ?? ""}\n`;
}

/** What the report printed, counted: its summaries and tables repeat the steps above. */
export function shortenReport(out: string): string {
  const heads = out.split("\n").filter((l) => l.startsWith("== "));
  const sweeps = heads.filter((h) => h.startsWith("== sweep:")).length;
  return `(${heads.length - sweeps} run summaries and ${sweeps} sweep table${sweeps === 1 ? "" : "s"}, as above, left out here)\n`;
}

/** The study's plan head, its last run's progress line, and its per-cell table (the comparisons left out). */
export function shortenStudy(out: string): string {
  const lines = out.trimEnd().split("\n");
  const runs = lines.filter((l) => /^\[\d+\/\d+\] /.test(l));
  const table = lines.findIndex((l) => l.startsWith("== study:"));
  const end = lines.findIndex((l, i) => i > table && l.startsWith("-- "));
  const comparisons = lines.filter((l) => l.startsWith("-- ")).length;
  return [...lines.slice(0, 2), `... ${runs.length} runs, the last: ${runs.at(-1) ?? "none"}`, ...lines.slice(table, end < 0 ? undefined : end),
    `(${comparisons} comparisons, each memory size and each benchmark against the first, left out here)`, lines.at(-1) ?? "", ""].join("\n");
}
