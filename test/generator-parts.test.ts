// The Lambda driver's S3 parts (issue 28), with a put that the test resolves by hand and a fake
// clock: parts sealed by size and by age, each a whole JSONL file, uploaded one at a time in
// order without stalling the writer; a failed part stops the uploads and keeps those before it.
import { strict as assert } from "node:assert";
import { PartSink } from "../src/generator/part-sink";
import { FakeClock } from "../src/workload/clock";

/** A put whose calls wait until the test settles them. */
function manualPut() {
  const calls: { part: number; body: string; settle: (err?: Error) => void }[] = [];
  let inFlight = 0;
  let most = 0;
  const put = (part: number, body: Buffer) => new Promise<void>((resolve, reject) => {
    inFlight++;
    most = Math.max(most, inFlight);
    calls.push({ part, body: body.toString("utf8"), settle: (err) => { inFlight--; if (err) reject(err); else resolve(); } });
  });
  return { put, calls, most: () => most };
}

const tick = () => new Promise((r) => setImmediate(r));
const rec = (i: number) => ({ i, pad: "x".repeat(40) });

describe("S3 parts (part-sink)", () => {
  it("seals a part once it holds maxBytes, uploads one at a time in order, each part whole JSONL", async () => {
    const clock = new FakeClock();
    const p = manualPut();
    const sink = new PartSink(p.put, { clock, maxBytes: 200, maxAgeMs: 1e9 });
    // Each line is 60 bytes with its newline: a part seals at its 4th line (240 >= 200).
    for (let i = 0; i < 10; i++) sink.write(rec(i));
    // Two parts sealed; the first is being uploaded, the second waits for it.
    assert.equal(p.calls.length, 1);
    assert.equal(p.calls[0].part, 0);
    p.calls[0].settle();
    await tick();
    assert.equal(p.calls.length, 2);
    assert.equal(p.calls[1].part, 1);
    const closing = sink.close();
    p.calls[1].settle();
    await tick();
    p.calls[2].settle();
    const written = await closing;
    assert.deepEqual(written, { parts: 3, records: 10 });
    assert.equal(p.most(), 1);
    const lines = p.calls.map((c) => {
      assert.ok(c.body.endsWith("\n"));
      return c.body.slice(0, -1).split("\n").map((l) => JSON.parse(l).i as number);
    });
    assert.deepEqual(lines, [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  });

  it("seals a part when its first line is maxAgeMs old, and an empty sink uploads nothing", async () => {
    const clock = new FakeClock();
    const p = manualPut();
    const sink = new PartSink(p.put, { clock, maxBytes: 1e9, maxAgeMs: 30_000 });
    sink.write(rec(0));
    clock.advance(10_000);
    sink.write(rec(1));
    clock.advance(19_999);
    assert.equal(p.calls.length, 0);
    clock.advance(1);
    assert.equal(p.calls.length, 1);
    p.calls[0].settle();
    // The next part's age counts from its own first line.
    clock.advance(60_000);
    sink.write(rec(2));
    clock.advance(29_999);
    await tick();
    assert.equal(p.calls.length, 1);
    const closing = sink.close();
    await tick();
    p.calls[1].settle();
    assert.deepEqual(await closing, { parts: 2, records: 3 });
    assert.equal(clock.pending, 0);
    const empty = manualPut();
    assert.deepEqual(await new PartSink(empty.put, { clock }).close(), { parts: 0, records: 0 });
    assert.equal(empty.calls.length, 0);
  });

  it("a part that fails stops the uploads: the parts before it stay, later records are dropped, onError once", async () => {
    const clock = new FakeClock();
    const p = manualPut();
    const errors: string[] = [];
    const sink = new PartSink(p.put, { clock, maxBytes: 100, maxAgeMs: 1e9, onError: (m) => errors.push(m) });
    for (let i = 0; i < 6; i++) sink.write(rec(i)); // parts of 2 lines: p0, p1, p2 sealed
    p.calls[0].settle();
    await tick();
    p.calls[1].settle(new Error("SlowDown: Please reduce your request rate.\nsecond line"));
    await tick();
    sink.write(rec(6));
    const written = await sink.close();
    assert.deepEqual(written, { parts: 1, records: 2, error: "part 1: SlowDown: Please reduce your request rate." });
    assert.deepEqual(errors, ["part 1: SlowDown: Please reduce your request rate."]);
    // p2 was never put.
    assert.deepEqual(p.calls.map((c) => c.part), [0, 1]);
  });
});
