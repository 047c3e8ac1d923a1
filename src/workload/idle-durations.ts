// Durations as the `idle` command takes them: `--after 1m,5m,10m,20m,30m`. Each item is a number
// with a unit, ms, s, m or h (`1.5m`, `500ms`); a bare number is refused, since seconds and
// milliseconds are both plausible. (The workload engine has its own parser; the lead merges them.)

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** One duration in milliseconds, or a message saying what is wrong with it. */
export function parseDuration(text: string): { ok: true; ms: number } | { ok: false; message: string } {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!m) return { ok: false, message: `${JSON.stringify(text)} is not a duration: write a number and a unit, ms, s, m or h (e.g. 90s, 5m)` };
  const ms = Number(m[1]) * UNIT_MS[m[2]];
  if (!Number.isSafeInteger(Math.round(ms))) return { ok: false, message: `${JSON.stringify(text)} is too long` };
  return { ok: true, ms: Math.round(ms) };
}

/** A comma-separated list of durations, each once, in the order given. Throws with every bad item named. */
export function parseDurationList(text: string): number[] {
  const items = text.split(",").map((s) => s.trim());
  const problems: string[] = [];
  const out: number[] = [];
  for (const item of items) {
    const d = parseDuration(item);
    if (!d.ok) problems.push(d.message);
    else if (out.includes(d.ms)) problems.push(`${item} is given twice`);
    else out.push(d.ms);
  }
  if (problems.length) throw new Error(problems.join("; "));
  return out;
}

/** A duration the way a person writes it: 30m, 1h30m, 90s, 1.5s, 250ms. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1))}s`;
  let s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s ? `${s}s` : ""}` || "0s";
}
