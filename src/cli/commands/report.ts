// `lambda-bench report`: summaries of saved runs on stdout, and with --html one offline HTML file.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { loadRuns } from "../../summary/saved-runs";
import { ReportInputError } from "../../runs/read";
import { compareSides, sidesOf } from "../../compare/run";
import { RunSampler, type CompareMetric } from "../../compare/metrics";
import type { InvocationRecord } from "../../runs/record";
import { reportHtml, reportText } from "../../report/html";
import { UserError } from "../errors";
import type { Io } from "../io";
import { reportStudies } from "../study-report";

/** What `report` compares when given two or more inputs. */
const REPORT_METRICS: readonly CompareMetric[] = ["duration", "client"];

export function registerReport(program: Command, io: Io): void {
  program.command("report")
    .description("summarize saved runs (measure --out files, sweep --out folders, a study's run --out folder) and draw them into one HTML file")
    .argument("<runs...>", "run .jsonl files, or folders of them")
    .option("--html <file>", "write a self-contained HTML report (opens offline)")
    .action(async (inputs: string[], o: { html?: string }) => {
      // Checked before anything is read: a long report should not fail at its last step.
      const htmlDir = o.html ? path.dirname(o.html) : undefined;
      if (htmlDir && !fs.statSync(htmlDir, { throwIfNoEntry: false })?.isDirectory()) {
        throw new UserError(`cannot write ${o.html}: folder ${htmlDir} does not exist`);
      }
      // A study (run's --out, or one experiment folder of it): its cells and the comparisons it implies.
      if (inputs.length === 1 && await reportStudies(inputs[0], o.html, io)) return;
      let loaded;
      let comparison;
      try {
        const warn = (m: string) => io.err(`lambda-bench: warning: ${m}\n`);
        // Two or more inputs: each later one against the first, as `compare` does, but only runs of
        // one benchmark against each other (hello against aes says nothing). Each file is read
        // once: its records feed the summaries and the comparison's samples together.
        const samplers = new Map<string, RunSampler>();
        const onFile = inputs.length > 1 ? (file: string) => {
          const s = new RunSampler(REPORT_METRICS);
          samplers.set(file, s);
          return (r: InvocationRecord) => s.add(r);
        } : undefined;
        loaded = await loadRuns(inputs, { warn, onFile });
        if (inputs.length > 1) comparison = compareSides(sidesOf(inputs, loaded.runs, samplers), REPORT_METRICS, { sameBenchmark: true });
      } catch (err) {
        if (err instanceof ReportInputError) throw new UserError(err.message);
        throw err;
      }
      io.out(reportText(loaded.runs, loaded.sweeps, comparison));
      if (o.html) {
        try {
          fs.writeFileSync(o.html, await reportHtml(loaded.runs, loaded.sweeps, undefined, comparison));
        } catch (err) {
          throw new UserError(`cannot write ${o.html}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        }
      }
    });
}
