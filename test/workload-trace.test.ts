// Trace files: the Azure Functions 2019 per-minute format and one-column offsets, and every
// malformed file as one `file:line: message`.
import { strict as assert } from "node:assert";
import { parseMinutes, parseTrace, TraceError, TraceSchedule } from "../src/workload/trace";
import { drain } from "../src/workload/schedule";

const HEAD = "HashOwner,HashApp,HashFunction,Trigger,1,2,3";

describe("workload traces", () => {
  it("picks a row by function hash or by number, or sums every row", () => {
    const text = `${HEAD}\no,a,f1,http,1,2,3\no,a,f2,queue,10,0,5\n`;
    assert.deepEqual(parseTrace(text, "t.csv", { function: "f2" }), { kind: "minutes", counts: [10, 0, 5], rows: 1 });
    assert.deepEqual(parseTrace(text, "t.csv", { row: 1 }), { kind: "minutes", counts: [1, 2, 3], rows: 1 });
    assert.deepEqual(parseTrace(text, "t.csv"), { kind: "minutes", counts: [11, 2, 8], rows: 2 });
    assert.deepEqual(parseTrace(text, "t.csv", { minutes: [2, 3] }), { kind: "minutes", counts: [2, 8], rows: 2 });
  });

  it("a one-column CSV of ms offsets, with an optional header, sped up", () => {
    const trace = parseTrace("offset_ms\n0\n250\n100\n\n1000\n", "o.csv");
    const s = new TraceSchedule({ file: "o.csv", trace, arrivals: "uniform", seed: 1, speedup: 2, select: {} });
    assert.deepEqual(drain(s), [0, 50, 125, 500]);
    assert.equal(s.workload.format, "offsets-ms");
  });

  it("a malformed trace is one error naming the file and line", () => {
    const bad: [string, RegExp][] = [
      [`${HEAD}\no,a,f,http,1,x,3\n`, /^t\.csv:2: minute 2: "x" is not a count/],
      [`${HEAD}\no,a,f,http,1,2\n`, /^t\.csv:2: 6 columns; the header has 7/],
      [`${HEAD}\no,a,f,http,1,2,-1\n`, /^t\.csv:2: minute 3/],
      ["HashOwner,HashApp,HashFunction,Trigger,1,3\n", /^t\.csv:1: minute column 2 is named "3"/],
      ["0\n12\nabc\n", /^t\.csv:3: not a number of ms: "abc"/],
      ["0\n-5\n", /^t\.csv:2: a send offset cannot be negative/],
      ["0,1\n", /^t\.csv:1: expected one column/],
      ["", /^t\.csv:1: no send offsets/],
    ];
    for (const [text, re] of bad) {
      assert.throws(() => parseTrace(text, "t.csv"), (e: Error) => e instanceof TraceError && re.test(e.message), text);
    }
    assert.throws(() => parseTrace(`${HEAD}\no,a,f,http,1,2,3\n`, "t.csv", { row: 4 }), /t\.csv:3: --trace-row 4: the file has 1 data rows/);
    assert.throws(() => parseTrace(`${HEAD}\no,a,f,http,1,2,3\n`, "t.csv", { function: "nope" }), /no row has that HashFunction/);
    assert.throws(() => parseTrace(`${HEAD}\no,a,f,http,1,2,3\n`, "t.csv", { minutes: [2, 9] }), /the file has 3 minutes/);
    assert.throws(() => parseMinutes("5-2"), /1 <= A <= B/);
  });
});
