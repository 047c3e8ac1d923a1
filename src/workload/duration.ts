// Durations as people write them: 500ms, 30s, 1.5m, 2h; in milliseconds. One parser for every
// option that takes one (--duration, --every, --ramp, idle's --after, --client-timeout, the
// stand-in's --evict-after). A bare number is refused where seconds and milliseconds are both
// plausible; --client-timeout, which has always taken ms, allows it (`bareUnit`).

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export type DurationResult = { ok: true; ms: number } | { ok: false; message: string };

const ORDER = ["h", "m", "s", "ms"];

/**
 * One duration in milliseconds, or a message saying what is wrong with it. Units may be combined,
 * largest first, as formatDuration writes them (1h30m, 1m30s, 2s500ms).
 */
export function readDuration(text: string, opts: { bareUnit?: "ms" } = {}): DurationResult {
  const t = text.trim();
  const bad = { ok: false as const, message: `${JSON.stringify(text)} is not a duration: write a number with a unit, ms, s, m or h (500ms, 30s, 1m, 2h, 1m30s)` };
  const bare = /^\d+(?:\.\d+)?$/.exec(t);
  let ms = 0;
  if (bare) {
    if (!opts.bareUnit) return bad;
    ms = Number(t) * UNIT_MS[opts.bareUnit];
  } else {
    if (!/^(?:\d+(?:\.\d+)?(?:ms|h|m|s))+$/.test(t)) return bad;
    let last = -1;
    for (const [, n, unit] of t.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
      const at = ORDER.indexOf(unit);
      if (at <= last) return bad;
      last = at;
      ms += Number(n) * UNIT_MS[unit];
    }
  }
  if (!Number.isSafeInteger(Math.round(ms))) return { ok: false, message: `${JSON.stringify(text)} is too long` };
  return { ok: true, ms };
}

/** Parses a duration, or throws an Error naming what was expected. */
export function parseDuration(text: string, what = "duration"): number {
  const d = readDuration(text);
  if (!d.ok) throw new Error(`${what} must be a number with a unit (500ms, 30s, 1m, 2h); got ${JSON.stringify(text)}`);
  return d.ms;
}

/** A comma-separated list of durations, each once, in the order given (whole ms). Throws with every bad item named. */
export function parseDurationList(text: string): number[] {
  const problems: string[] = [];
  const out: number[] = [];
  for (const item of text.split(",").map((s) => s.trim())) {
    const d = readDuration(item);
    if (!d.ok) problems.push(d.message);
    else if (out.includes(Math.round(d.ms))) problems.push(`${item} is given twice`);
    else out.push(Math.round(d.ms));
  }
  if (problems.length) throw new Error(problems.join("; "));
  return out;
}

/** A duration the way a person writes it: 30m, 1h30m, 90s -> 1m30s, 1.25s, 14.1s, 250ms. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${+ms.toFixed(3)}ms`;
  // Three significant digits at most below a minute: 1.25s, 14.1s.
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(ms < 10_000 ? 3 : 1))}s`;
  let s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s ? `${s}s` : ""}` || "0s";
}
