// A study's report (report/study.ts): at the end of `run`, each experiment folder's text on stdout
// and its HTML report (every repetition's run and the study's comparisons) beside it; and
// `report <folder>` when the folder is a study's.
import * as fs from "node:fs";
import * as path from "node:path";
import type { CompareResult } from "../compare/run";
import { reportHtml } from "../report/html";
import { studyFolders, studyReport as studyText } from "../report/study";
import { ReportInputError } from "../runs/read";
import { loadRuns } from "../summary/saved-runs";
import { UserError } from "./errors";
import type { Io } from "./io";

export async function studyReport(out: string, experiments: string[]): Promise<string> {
  const parts: string[] = [];
  for (const name of experiments) {
    const dir = path.join(out, name);
    if (!fs.existsSync(dir)) continue;
    const r = await studyText(dir);
    const html = path.join(dir, "report.html");
    const loaded = await loadRuns([dir]);
    fs.writeFileSync(html, await reportHtml(loaded.runs, loaded.sweeps, undefined, r.comparison));
    parts.push(`${r.text}HTML report: ${html}\n`);
  }
  return parts.join("\n");
}

/**
 * `report <input>` when the input is a study's --out or one experiment folder of it: each study's
 * text, and with --html one file of all their runs and comparisons. False when it is not a study.
 */
export async function reportStudies(input: string, html: string | undefined, io: Io): Promise<boolean> {
  let studies: string[];
  try {
    studies = studyFolders(input);
    if (studies.length === 0) return false;
    const comparison: CompareResult = { baseline: input, pairs: [], unmatched: [] };
    for (const dir of studies) {
      const study = await studyText(dir);
      io.out(study.text);
      comparison.pairs.push(...study.comparison.pairs);
    }
    if (!html) return true;
    const loaded = await loadRuns([input], { warn: (m) => io.err(`lambda-bench: warning: ${m}\n`) });
    fs.writeFileSync(html, await reportHtml(loaded.runs, loaded.sweeps, undefined, comparison));
    return true;
  } catch (err) {
    if (err instanceof ReportInputError) throw new UserError(err.message);
    if ((err as NodeJS.ErrnoException).code && html) throw new UserError(`cannot write ${html}: ${(err as NodeJS.ErrnoException).code}`);
    throw err;
  }
}
