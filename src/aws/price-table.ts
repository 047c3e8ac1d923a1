// The dated price table: one row per region whose prices were confirmed, each naming its source
// and date. A region without a row is priced at DEFAULT_PRICE_REGION's row, and the summary says so.
//
// What was confirmed, and how (2026-11, from the stored copies of AWS's Lambda pricing page,
// https://aws.amazon.com/lambda/pricing/): the page states its first-tier on-demand prices for
// US East (Ohio) ("up to 6 billion GB-seconds / month in US East (Ohio)") and bases every example
// on US East (N. Virginia), which are priced the same. Every other region's prices are rendered by
// the page's region selector, which the stored copies do not contain: those regions are left out
// rather than guessed. The provisioned-concurrency and SnapStart rates are the page's US East
// figures as DESIGN.md section 7 and its examples give them; no stored AWS text states the arm64
// provisioned rates, which are marked below.
/** Lambda's two architectures, each with its own price. */
export type Architecture = "x86_64" | "arm64";

export interface PriceRow {
  /** Where the figures were read, and when (YYYY-MM). */
  source: string;
  date: string;
  /** On-demand duration, USD per GB-second of billed duration (first tier), by architecture. */
  gbSecond: Record<Architecture, number>;
  /** USD per request (every start kind). */
  request: number;
  /** USD per GB-second of ephemeral storage configured above the free 512 MB. */
  ephemeralGbSecond: number;
  provisioned: {
    /** Duration of calls served by provisioned concurrency, USD per GB-second. */
    durationGbSecond: Record<Architecture, number>;
    /** The provisioned environments themselves, USD per GB-second of configured concurrency. */
    concurrencyGbSecond: Record<Architecture, number>;
  };
  snapStart: {
    /** USD per GB restored (the function's memory, once per restore). */
    restoreGb: number;
    /** USD per GB-second a version's snapshot is cached: billed whatever the calls, not measured here. */
    cacheGbSecond: number;
  };
}

export const PRICE_SOURCE = "https://aws.amazon.com/lambda/pricing/";
export const PRICE_DATE = "2026-11";
export const DEFAULT_PRICE_REGION = "us-east-1";

const US_EAST: PriceRow = {
  source: PRICE_SOURCE,
  date: PRICE_DATE,
  gbSecond: { x86_64: 0.0000166667, arm64: 0.0000133334 },
  request: 0.2 / 1e6,
  ephemeralGbSecond: 0.0000000309,
  provisioned: {
    durationGbSecond: { x86_64: 0.0000097222, arm64: 0.0000077778 /* arm64: not in stored AWS text */ },
    concurrencyGbSecond: { x86_64: 0.0000041667, arm64: 0.0000033334 /* arm64: not in stored AWS text */ },
  },
  snapStart: { restoreGb: 0.0001397998, cacheGbSecond: 0.0000015046 },
};

/** Regions whose prices were confirmed (see the top of this file): N. Virginia and Ohio. */
export const PRICE_TABLE: Readonly<Record<string, PriceRow>> = {
  "us-east-1": US_EAST,
  "us-east-2": US_EAST,
};

/**
 * What the Lambda generator (issue 28) spends besides its drivers' Lambda time (priced by the rows
 * above), in US East (N. Virginia), USD: Standard workflow state transitions ($0.025 per 1,000:
 * https://aws.amazon.com/step-functions/pricing/, read 2026-12; the Distributed Map's children are
 * Standard executions, billed the same), and S3 Standard requests (PUT, COPY, POST and LIST
 * $0.005 per 1,000; GET $0.0004 per 1,000: https://aws.amazon.com/s3/pricing/, 2026-12, as restated
 * by the stored pages; AWS's own page is not among them). LIST is priced with PUT, not with GET.
 */
export const GENERATOR_PRICES = {
  source: "https://aws.amazon.com/step-functions/pricing/, https://aws.amazon.com/s3/pricing/",
  date: "2026-12",
  region: "us-east-1",
  transition: 0.025 / 1000,
  s3Put: 0.005 / 1000,
  s3List: 0.005 / 1000,
  s3Get: 0.0004 / 1000,
} as const;
