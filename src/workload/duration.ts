// Durations as people write them: 500ms, 30s, 1.5m, 2h. Returned in milliseconds.
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a duration, or throws an Error naming what was expected. */
export function parseDuration(text: string, what = "duration"): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/.exec(text);
  if (!m) throw new Error(`${what} must be a number with a unit (500ms, 30s, 1m, 2h); got ${JSON.stringify(text)}`);
  return Number(m[1]) * UNITS[m[2]];
}

/** A duration as it is best read back: 1500 -> "1.5s", 60000 -> "1m". */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [["h", 3_600_000], ["m", 60_000], ["s", 1000]] as const) {
    if (ms >= size && Number.isInteger((ms / size) * 1000)) return `${+(ms / size).toFixed(3)}${unit}`;
  }
  return `${+ms.toFixed(3)}ms`;
}
