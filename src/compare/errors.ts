// `compare`'s error figure: how often each side's calls failed, function errors and transport
// errors apart, each with its Wilson 95% interval, and the difference of the failure rates (B - A)
// with Newcombe's Wilson-based interval. Failed calls are never duration or cost samples
// (metrics.ts), so a B that crashes fast does not read as faster: it reads as failing more often,
// and `--fail-if-slower` fails it (cli/commands/compare.ts).
import { rateDifference, rateOf, type Rate } from "../stats/wilson";
import { percent } from "../summary/summary-format";
import type { InvocationRecord } from "../runs/record";

/** Calls sent (warm-up and dropped ones are not) and how they failed. */
export interface ErrorCounts {
  calls: number;
  functionErrors: number;
  transportErrors: number;
}

export const noErrors = (): ErrorCounts => ({ calls: 0, functionErrors: 0, transportErrors: 0 });

/** Counts one record into `c`. */
export function countErrors(c: ErrorCounts, r: InvocationRecord): void {
  if (r.warmup || r.status === "dropped") return;
  c.calls++;
  if (r.error !== null) c.transportErrors++;
  else if (r.functionError !== null) c.functionErrors++;
}

export const addCounts = (xs: readonly ErrorCounts[]): ErrorCounts => xs.reduce((a, x) => ({
  calls: a.calls + x.calls, functionErrors: a.functionErrors + x.functionErrors, transportErrors: a.transportErrors + x.transportErrors,
}), noErrors());

export interface SideErrors {
  function: Rate;
  transport: Rate;
  failed: Rate;
}

export type ErrorVerdict = "more errors" | "fewer errors" | "no difference" | "not comparable";

export interface ErrorComparison {
  a: SideErrors;
  b: SideErrors;
  /** B's failure rate minus A's, with its 95% interval (Newcombe's hybrid score); null without calls. */
  difference: { estimate: number; lo: number; hi: number } | null;
  verdict: ErrorVerdict;
  text: string;
}

const sideErrors = (c: ErrorCounts): SideErrors => ({
  function: rateOf(c.functionErrors, c.calls),
  transport: rateOf(c.transportErrors, c.calls),
  failed: rateOf(c.functionErrors + c.transportErrors, c.calls),
});

/** Rates to 4 significant digits: a share of calls carries no more. */
const sig4 = (x: number) => Number(x.toPrecision(4));
const points = (x: number) => `${x >= 0 ? "+" : ""}${(100 * x).toFixed(1)}`;

export function compareErrors(a: ErrorCounts, b: ErrorCounts): ErrorComparison {
  const fa = a.functionErrors + a.transportErrors;
  const fb = b.functionErrors + b.transportErrors;
  const raw = rateDifference(fa, a.calls, fb, b.calls);
  const difference = raw && { estimate: sig4(raw.estimate), lo: sig4(raw.lo), hi: sig4(raw.hi) };
  const out: ErrorComparison = { a: sideErrors(a), b: sideErrors(b), difference, verdict: "not comparable", text: "" };
  if (!raw) {
    out.text = `errors not comparable: ${a.calls === 0 ? "A" : "B"} has no calls`;
    return out;
  }
  const d = `B - A ${points(raw.estimate)} points [${points(raw.lo)}, ${points(raw.hi)}]`;
  const shares = `A ${percent(fa / a.calls)}, B ${percent(fb / b.calls)} of calls failed`;
  if (raw.lo > 0) Object.assign(out, { verdict: "more errors", text: `B fails more often than A: ${shares}; ${d}` });
  else if (raw.hi < 0) Object.assign(out, { verdict: "fewer errors", text: `B fails less often than A: ${shares}; ${d}` });
  else Object.assign(out, { verdict: "no difference", text: `no difference in errors shown: ${shares}; ${d}` });
  return out;
}
