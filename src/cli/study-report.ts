// The report at the end of `run`: each experiment folder's study report (report/study.ts) on
// stdout, and its HTML report (every repetition's run and the study's comparisons) beside it.
import * as fs from "node:fs";
import * as path from "node:path";
import { reportHtml } from "../report/html";
import { studyReport as studyText } from "../report/study";
import { loadRuns } from "../summary/saved-runs";

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
