// What the Lambda generator itself costs (issue 28), beside the benchmark's own cost: the drivers'
// Lambda time, the state machine's transitions, and the S3 requests of the run. Estimated: the
// drivers' billed durations are not read back (the WindowEnd objects do not carry them), so each
// window invocation is taken to last the lead, its window and the write reserve.
//   drivers      shards x windows invocations; each (LEAD_MS + the window's length + WRITE_RESERVE_MS)
//                x memory, at the driver architecture's on-demand rate, plus the request fee
//   transitions  per child: Wait, Drive and More a window, then Done; plus the Map state itself
//   S3           PUTs (the CLI's uploads and the drivers' parts, clocks and ends), GETs (the Map's
//                items, each driver invocation's spec and payload, the CLI's downloads), LISTs
import { pricesFor, type Architecture } from "../aws/pricing";
import { GENERATOR_PRICES } from "../aws/price-table";
import { LEAD_MS, WRITE_RESERVE_MS } from "./objects";
import type { Requests } from "./lambda-run";

export interface GeneratorCostInput {
  shards: number;
  windows: number;
  windowMs: number;
  /** The schedule's last send time (ms from the start): the last window is that much shorter. */
  lastMs: number;
  memoryMb: number;
  architecture: string;
  region: string;
  /** The CLI's own S3 requests. */
  cli: Requests;
  /** Objects the drivers wrote (each a PUT). */
  driverObjects: number;
  /** The payload went to S3 (each driver invocation GETs it). */
  payloadInS3: boolean;
}

export interface GeneratorCost {
  estimated: true;
  driver: { invocations: number; gbSeconds: number; usd: number };
  transitions: { count: number; usd: number };
  s3: { put: number; get: number; list: number; usd: number };
  totalUsd: number;
  prices: { source: string; date: string; region: string };
}

const tidy = (x: number) => Number(x.toPrecision(12));

/** The run's windows' lengths: every window whole but the last, which ends at the schedule's end. */
function activeMs(windows: number, windowMs: number, lastMs: number): number {
  return (windows - 1) * windowMs + Math.max(0, Math.min(windowMs, lastMs - (windows - 1) * windowMs));
}

export function generatorCost(c: GeneratorCostInput): GeneratorCost {
  const invocations = c.shards * c.windows;
  const seconds = c.shards * (c.windows * (LEAD_MS + WRITE_RESERVE_MS) + activeMs(c.windows, c.windowMs, c.lastMs)) / 1000;
  const gbSeconds = seconds * (c.memoryMb / 1024);
  const lambda = pricesFor(c.region).prices;
  const arch: Architecture = c.architecture === "arm64" ? "arm64" : "x86_64";
  const driverUsd = gbSeconds * lambda.gbSecond[arch] + invocations * lambda.request;
  const transitions = c.shards * (3 * c.windows + 1) + 1;
  const put = c.cli.put + c.driverObjects;
  const get = c.cli.get + 1 + invocations * (c.payloadInS3 ? 2 : 1);
  const list = c.cli.list;
  const p = GENERATOR_PRICES;
  const s3Usd = put * p.s3Put + get * p.s3Get + list * p.s3List;
  const transitionsUsd = transitions * p.transition;
  return {
    estimated: true,
    driver: { invocations, gbSeconds: tidy(gbSeconds), usd: tidy(driverUsd) },
    transitions: { count: transitions, usd: tidy(transitionsUsd) },
    s3: { put, get, list, usd: tidy(s3Usd) },
    totalUsd: tidy(driverUsd + transitionsUsd + s3Usd),
    prices: { source: p.source, date: p.date, region: p.region },
  };
}

const usd = (x: number) => `$${x < 0.01 ? x.toPrecision(3) : x.toFixed(4)}`;

/** One line for the summary's text. */
export function formatGeneratorCost(g: GeneratorCost): string {
  return `generator cost (estimated): drivers ${g.driver.invocations} invocations, ${g.driver.gbSeconds.toFixed(1)} GB-s ${usd(g.driver.usd)}; ` +
    `${g.transitions.count} state transitions ${usd(g.transitions.usd)}; S3 ${g.s3.put} PUT, ${g.s3.get} GET, ${g.s3.list} LIST ${usd(g.s3.usd)}; ` +
    `total ${usd(g.totalUsd)} (${g.prices.region} prices, ${g.prices.date})`;
}
