import { strict as assert } from "node:assert";
import { invocationCost, pricesFor, provisionedConcurrencyCost, PRICE_TABLE } from "../src/aws/pricing";

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.abs(b), `${a} vs ${b}`);

describe("pricing", () => {
  const { prices } = pricesFor("us-east-1");

  it("costs on-demand calls (cold and warm) as billed GB-seconds at the architecture's price plus the request", () => {
    // 1024 MB for 1000 ms on arm64 = 1 GB-s.
    close(invocationCost(prices, "arm64", "warm", { billedMs: 1000, memoryMb: 1024 }), 0.0000133334 + 0.0000002);
    close(invocationCost(prices, "x86_64", "cold", { billedMs: 250, memoryMb: 512 }), 0.125 * 0.0000166667 + 0.0000002);
    // 1536 MB of ephemeral storage is 1 GB above the free 512 MB.
    close(invocationCost(prices, "x86_64", "warm", { billedMs: 1000, memoryMb: 1024, ephemeralMb: 1536 }), 0.0000166667 + 0.0000000309 + 0.0000002);
    // No start kind (no REPORT-derived kind): priced on demand.
    close(invocationCost(prices, "x86_64", null, { billedMs: 1000, memoryMb: 1024 }), 0.0000166667 + 0.0000002);
  });

  it("costs a SnapStart restore with its Billed Restore Duration and the restore charge per GB", () => {
    // 2048 MB, 20 ms billed + 380 ms billed restore = 0.4 s x 2 GB at the x86 rate, plus 2 GB restored.
    close(invocationCost(prices, "x86_64", "restore", { billedMs: 20, memoryMb: 2048, billedRestoreMs: 380 }),
      0.4 * 2 * 0.0000166667 + 2 * 0.0001397998 + 0.0000002);
  });

  it("costs a provisioned call at the provisioned duration rate, and the environments per GB-second of wall time", () => {
    close(invocationCost(prices, "x86_64", "provisioned", { billedMs: 500, memoryMb: 1024 }), 0.5 * 0.0000097222 + 0.0000002);
    close(invocationCost(prices, "arm64", "provisioned", { billedMs: 500, memoryMb: 1024 }), 0.5 * 0.0000077778 + 0.0000002);
    // 5 environments of 512 MB for 60 s: 150 GB-s.
    close(provisionedConcurrencyCost(prices, "x86_64", 5, 512, 60_000), 150 * 0.0000041667);
  });

  it("has a source and a date on every row, and falls back to the default region's prices, saying so", () => {
    for (const [region, row] of Object.entries(PRICE_TABLE)) {
      assert.match(row.source, /^https:\/\/aws\.amazon\.com\//, region);
      assert.match(row.date, /^\d{4}-\d{2}$/, region);
    }
    assert.equal(pricesFor("us-east-1").note, undefined);
    assert.equal(pricesFor("us-east-2").note, undefined);
    const other = pricesFor("ap-southeast-7");
    assert.equal(other.region, "us-east-1");
    assert.match(other.note!, /no price table for ap-southeast-7; cost uses us-east-1 prices \(https:\/\/aws\.amazon\.com\/lambda\/pricing\/, 2026-11\)/);
  });
});
