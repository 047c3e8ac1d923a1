// `lambda-bench run [experiments.yaml]` (issue 29): a study file checked against the manifest and
// planned. `--plan` prints the runs in order and the estimate, and with a study.json in --out what
// a resume would do. Without it the same text is printed, then the runs are made (cli/study-run.ts),
// and the study's report follows.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { loadManifest } from "../../manifest/load";
import { didYouMean } from "../../manifest/issues";
import { estimatePlan } from "../../study/estimate";
import { loadStudy } from "../../study/load";
import { planStudy } from "../../study/plan";
import { formatPlan } from "../../study/plan-text";
import { existsUnder, readState, resumeOf } from "../../study/state";
import { UserError } from "../errors";
import { runStudy } from "../study-run";
import { studyReport } from "../study-report";
import type { Io } from "../io";
import { nonEmpty, withAwsOptions, type CommonOptions } from "../options";
import { DEFAULT_MANIFEST } from "../target";

export const DEFAULT_STUDY = "experiments.yaml";

interface RunCommandOptions extends CommonOptions { only?: string[]; out: string; fresh?: boolean; plan?: boolean }

export function registerRun(program: Command, io: Io): void {
  withAwsOptions(program.command("run"))
    .description("run a study: every experiment of a study file (benchmarks x memory x workloads x repetitions), resumable")
    .argument("[study]", "the study file", DEFAULT_STUDY)
    .option("--only <name>", "run only this experiment (repeatable)", (v: string, prev: string[] = []) => [...prev, nonEmpty("--only")(v)])
    .option("--out <folder>", "where the run files and study.json go", "runs")
    .option("--fresh", "start again: ignore study.json and discard the run files of the study's experiments in --out")
    .option("--plan", "print the runs in order and an estimate of calls, time and cost; invoke nothing")
    .action(async (file: string, o: RunCommandOptions, cmd: Command) => {
      const manifest = loadManifest(o.manifest ?? DEFAULT_MANIFEST, { namePrefix: o.namePrefix });
      let study = loadStudy(file, manifest);
      if (o.only) {
        const names = study.experiments.map((e) => e.name);
        for (const n of o.only) {
          if (!names.includes(n)) throw new UserError(`--only ${n}: ${file} has no experiment "${n}"${didYouMean(n, names)}; it has ${names.join(", ")}`, 2);
        }
        study = { ...study, experiments: study.experiments.filter((e) => o.only!.includes(e.name)) };
      }
      const plan = planStudy(study);
      // study.json's cells of the experiments run here; with --only, the others are kept as they are.
      const stored = readState(o.out);
      const mine = (id: string) => study.experiments.some((e) => id.startsWith(`${e.name}/`));
      const prev = o.fresh || !stored ? undefined : { ...stored, cells: stored.cells.filter((c) => mine(c.id)) };
      const resume = prev ? resumeOf(prev, study, plan, existsUnder(o.out)) : undefined;
      const est = estimatePlan(plan, o.region ?? process.env.AWS_REGION ?? "us-east-1");
      io.out(formatPlan(study, plan, est, resume));
      if (resume && resume.conflicts.length > 0) {
        throw new UserError(`${file} changed since ${o.out}/study.json was written, so it cannot resume: ${resume.conflicts.join("; ")}; ` +
          "restore the file, or pass --fresh to start again");
      }
      if (o.plan) return;
      // --fresh discards the experiments' folders; on a first run a file already there is not
      // listed, so it is discarded and run again.
      if (o.fresh) for (const e of study.experiments) fs.rmSync(path.join(o.out, e.name), { recursive: true, force: true });
      const steps = resume ?? resumeOf(undefined, study, plan, existsUnder(o.out));
      await runStudy(study, plan, steps, prev, stored?.cells.filter((c) => !mine(c.id)) ?? [], est, o, io, cmd);
      io.out(await studyReport(o.out, study.experiments.map((e) => e.name)));
    });
}
