// What an invocation costs, from one price table that names its source and date. First-tier
// on-demand prices (the first 6 billion x86 / 7.5 billion arm64 GB-seconds a month); free tier,
// Savings Plans, provisioned concurrency and SnapStart charges are not modelled.

export type Architecture = "x86_64" | "arm64";

export interface Prices {
  /** USD per GB-second of billed duration, by architecture. */
  gbSecond: Record<Architecture, number>;
  /** USD per request. */
  request: number;
  /** USD per GB-second of ephemeral storage configured above the free 512 MB. */
  ephemeralGbSecond: number;
}

export const PRICE_SOURCE = "https://aws.amazon.com/lambda/pricing/";
export const PRICE_DATE = "2026-11";
export const DEFAULT_PRICE_REGION = "us-east-1";

const US_EAST: Prices = {
  gbSecond: { x86_64: 0.0000166667, arm64: 0.0000133334 },
  request: 0.2 / 1e6,
  ephemeralGbSecond: 0.0000000309,
};

/** Regions whose first-tier prices the pricing page states (N. Virginia and Ohio). */
export const PRICE_TABLE: Readonly<Record<string, Prices>> = {
  "us-east-1": US_EAST,
  "us-east-2": US_EAST,
};

export interface PriceChoice {
  prices: Prices;
  /** The table row used. */
  region: string;
  /** Set when the region has no row and the default was used instead. */
  note?: string;
}

export function pricesFor(region: string): PriceChoice {
  const row = PRICE_TABLE[region];
  if (row) return { prices: row, region };
  return {
    prices: PRICE_TABLE[DEFAULT_PRICE_REGION],
    region: DEFAULT_PRICE_REGION,
    note: `no price table for ${region}; cost uses ${DEFAULT_PRICE_REGION} prices (${PRICE_SOURCE}, ${PRICE_DATE})`,
  };
}

/** USD for one invocation: billed GB-seconds at the architecture's price, plus the request. */
export function invocationCost(
  prices: Prices, architecture: Architecture, billedMs: number, memoryMb: number, ephemeralMb = 512,
): number {
  const seconds = billedMs / 1000;
  const extraStorageGb = Math.max(0, ephemeralMb - 512) / 1024;
  return seconds * (memoryMb / 1024) * prices.gbSecond[architecture] +
    seconds * extraStorageGb * prices.ephemeralGbSecond +
    prices.request;
}
