// What an invocation costs, by start kind, from the dated price table (price-table.ts). First-tier
// prices; the free tier and Savings Plans are not modelled.
//   cold, warm   billed duration (init included since 2025-08) at the architecture's on-demand rate
//   restore      (billed duration + Billed Restore Duration) at the on-demand rate, plus the
//                restore charge per GB of memory restored; the snapshot cache is billed per
//                GB-second a version exists, which no call shows: noted, not measured
//   provisioned  billed duration at the provisioned duration rate; the provisioned environments'
//                own charge (concurrency x GB x wall time) is the run's, reported beside the calls
// Every kind adds the request fee and ephemeral storage above 512 MB for the billed duration.
import type { StartKind } from "./start-kind";
import { DEFAULT_PRICE_REGION, PRICE_DATE, PRICE_SOURCE, PRICE_TABLE, type PriceRow } from "./price-table";

export { DEFAULT_PRICE_REGION, PRICE_DATE, PRICE_SOURCE, PRICE_TABLE } from "./price-table";
export type { Architecture } from "./price-table";
import type { Architecture } from "./price-table";
export type Prices = PriceRow;

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

export interface Billed {
  billedMs: number;
  memoryMb: number;
  /** SnapStart's Billed Restore Duration (restores only). */
  billedRestoreMs?: number | null;
  /** The function's configured ephemeral storage; 512 MB is free. */
  ephemeralMb?: number;
}

/** USD for one invocation of the given start kind (null kind: priced as on-demand). */
export function invocationCost(prices: Prices, architecture: Architecture, kind: StartKind | null, b: Billed): number {
  const gb = b.memoryMb / 1024;
  const seconds = b.billedMs / 1000;
  const extraStorageGb = Math.max(0, (b.ephemeralMb ?? 512) - 512) / 1024;
  const fixed = prices.request + seconds * extraStorageGb * prices.ephemeralGbSecond;
  switch (kind) {
    case "provisioned":
      return fixed + seconds * gb * prices.provisioned.durationGbSecond[architecture];
    case "restore": {
      const restoreSeconds = (b.billedRestoreMs ?? 0) / 1000;
      return fixed + (seconds + restoreSeconds) * gb * prices.gbSecond[architecture] + gb * prices.snapStart.restoreGb;
    }
    default:
      return fixed + seconds * gb * prices.gbSecond[architecture];
  }
}

/** USD for keeping `concurrency` provisioned environments of `memoryMb` for `wallMs`. */
export function provisionedConcurrencyCost(
  prices: Prices, architecture: Architecture, concurrency: number, memoryMb: number, wallMs: number,
): number {
  return concurrency * (memoryMb / 1024) * (wallMs / 1000) * prices.provisioned.concurrencyGbSecond[architecture];
}
