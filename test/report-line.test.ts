import { strict as assert } from "node:assert";
import fc from "fast-check";
import { parseReport, parseReportLines } from "../src/aws/report-line";

const ID = "8f5f2b1e-7c3d-4a1b-9e0f-1234567890ab";

describe("REPORT parser", () => {
  it("reads a warm text REPORT after START, output and END", () => {
    const tail = `START RequestId: ${ID} Version: $LATEST\n2026-11-24T10:00:00.000Z\t${ID}\tINFO\tworking\nEND RequestId: ${ID}\n` +
      `REPORT RequestId: ${ID}\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 18 MB\t\n`;
    assert.deepEqual(parseReport(tail, ID), { requestId: ID, durationMs: 12.34, billedMs: 13, memoryMb: 128, maxMemoryMb: 18 });
  });

  it("reads Init Duration as a cold start, with a trailing XRAY line", () => {
    const tail = `REPORT RequestId: ${ID}\tDuration: 1.50 ms\tBilled Duration: 125 ms\tMemory Size: 512 MB\tMax Memory Used: 70 MB\tInit Duration: 123.45 ms\t\n` +
      "XRAY TraceId: 1-5e1b4151-5ac6c58f5ac6c58f5ac6c58f\tSegmentId: 6a4d0f9b1c2e3d4f\tSampled: true\n";
    const r = parseReport(tail, ID);
    assert.equal(r?.initMs, 123.45);
    assert.equal(r?.billedMs, 125);
  });

  it("reads Restore Duration (SnapStart) and skips fields it does not know", () => {
    const tail = `REPORT RequestId: ${ID}\tDuration: 20.00 ms\tBilled Duration: 500 ms\tMemory Size: 1024 MB\tMax Memory Used: 90 MB\t` +
      "Restore Duration: 474.16 ms\tBilled Restore Duration: 475 ms\t";
    const r = parseReport(tail, ID);
    assert.equal(r?.restoreMs, 474.16);
    assert.equal(r?.billedRestoreMs, 475);
    assert.equal(r?.initMs, undefined);
  });

  it("reads a SnapStart restore in the JSON log format's platform.report", () => {
    // Telemetry API schema: metrics.restoreDurationMs and metrics.billedRestoreDurationMs.
    const line = JSON.stringify({
      time: "2026-11-24T10:00:00.000Z", type: "platform.report",
      record: {
        requestId: ID, status: "success",
        metrics: { durationMs: 12.5, billedDurationMs: 13, memorySizeMB: 1024, maxMemoryUsedMB: 160, restoreDurationMs: 380.21, billedRestoreDurationMs: 112 },
      },
    });
    assert.deepEqual(parseReport(`${line}\n`, ID), {
      requestId: ID, durationMs: 12.5, billedMs: 13, memoryMb: 1024, maxMemoryMb: 160, restoreMs: 380.21, billedRestoreMs: 112,
    });
  });

  it("bills a Status: timeout REPORT at the function's timeout", () => {
    // Duration runs past the 3 s timeout by the time the platform stops the function.
    const tail = `START RequestId: ${ID} Version: $LATEST\n` +
      `2026-11-24T10:00:03.010Z ${ID} Task timed out after 3.00 seconds\n\nEND RequestId: ${ID}\n` +
      `REPORT RequestId: ${ID}\tDuration: 3003.47 ms\tBilled Duration: 3004 ms\tMemory Size: 128 MB\tMax Memory Used: 41 MB\tStatus: timeout\n`;
    const r = parseReport(tail, ID, { timeoutMs: 3000 });
    assert.deepEqual([r?.status, r?.billedMs, r?.durationMs], ["timeout", 3000, 3003.47]);
    // Without the timeout known, the line's own Billed Duration stands.
    assert.equal(parseReport(tail, ID)?.billedMs, 3004);
    // A successful call is never capped.
    assert.equal(parseReport(tail.replace("\tStatus: timeout", ""), ID, { timeoutMs: 3000 })?.billedMs, 3004);
  });

  it("reads an init that failed and was retried on the invocation's path (INIT_REPORT ... Status: error)", () => {
    const tail = "INIT_REPORT Init Duration: 10007.91 ms\tPhase: init\tStatus: timeout\n" +
      `START RequestId: ${ID} Version: $LATEST\n` +
      "INIT_REPORT Init Duration: 1423.10 ms\tPhase: invoke\tStatus: error\tError Type: Runtime.ExitError\n" +
      `END RequestId: ${ID}\n` +
      `REPORT RequestId: ${ID}\tDuration: 1460.37 ms\tBilled Duration: 1461 ms\tMemory Size: 256 MB\tMax Memory Used: 88 MB\t` +
      "Status: error\tError Type: Runtime.ExitError\n";
    const r = parseReport(tail, ID)!;
    assert.equal(r.initMs, undefined, "the REPORT has no Init Duration: the retried init is inside Duration");
    assert.deepEqual(r.initReports, [
      { durationMs: 10007.91, phase: "init", status: "timeout", errorType: null },
      { durationMs: 1423.1, phase: "invoke", status: "error", errorType: "Runtime.ExitError" },
    ]);
    assert.deepEqual([r.status, r.errorType], ["error", "Runtime.ExitError"]);
    // The JSON log format's platform.initReport says the same.
    const json = [
      { time: "t", type: "platform.initReport", record: { initializationType: "on-demand", phase: "init", status: "error", errorType: "Runtime.Unknown", metrics: { durationMs: 523.4 } } },
      { time: "t", type: "platform.start", record: { requestId: ID, version: "$LATEST" } },
      { time: "t", type: "platform.report", record: { requestId: ID, status: "success", metrics: { durationMs: 600.2, billedDurationMs: 601, memorySizeMB: 256, maxMemoryUsedMB: 70 } } },
    ].map((o) => JSON.stringify(o)).join("\n");
    assert.deepEqual(parseReport(json, ID)?.initReports, [{ durationMs: 523.4, phase: "init", status: "error", errorType: "Runtime.Unknown" }]);
    // INIT_REPORTs before an earlier request's REPORT are that request's, not this one's.
    const other = `REPORT RequestId: 00000000-0000-0000-0000-000000000000\tDuration: 1.00 ms\tBilled Duration: 2 ms\tMemory Size: 256 MB\tMax Memory Used: 80 MB\t\n`;
    const later = tail.replace(`START RequestId: ${ID}`, `${other}START RequestId: ${ID}`);
    assert.equal(parseReport(later, ID)?.initReports?.length, 1);
  });

  it("reads Status: timeout and Error Type", () => {
    const tail = `REPORT RequestId: ${ID}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t` +
      "Status: timeout\n";
    assert.equal(parseReport(tail, ID)?.status, "timeout");
    const err = `REPORT RequestId: ${ID}\tDuration: 5.00 ms\tBilled Duration: 6 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t` +
      "Status: error\tError Type: Runtime.ExitError";
    assert.deepEqual([parseReport(err, ID)?.status, parseReport(err, ID)?.errorType], ["error", "Runtime.ExitError"]);
  });

  it("reads the old `ms \\t` spacing", () => {
    const tail = `REPORT RequestId: ${ID}\tDuration: 0.95 ms \tBilled Duration: 100 ms \tMemory Size: 128 MB \tMax Memory Used: 20 MB \t`;
    assert.deepEqual(parseReport(tail, ID), { requestId: ID, durationMs: 0.95, billedMs: 100, memoryMb: 128, maxMemoryMb: 20 });
  });

  it("reads the JSON log format's platform.report record", () => {
    const rec = {
      time: "2026-11-24T10:00:00.000Z", type: "platform.report",
      record: {
        requestId: ID, status: "success",
        metrics: { durationMs: 4.2, billedDurationMs: 150, memorySizeMB: 256, maxMemoryUsedMB: 66, initDurationMs: 145.1 },
      },
    };
    const app = JSON.stringify({ timestamp: "2026-11-24T10:00:00.000Z", level: "INFO", requestId: ID, message: "hi" });
    const r = parseReport(`${app}\n${JSON.stringify(rec)}\n`, ID);
    assert.deepEqual(r, { requestId: ID, durationMs: 4.2, billedMs: 150, memoryMb: 256, maxMemoryMb: 66, initMs: 145.1 });
    const timeout = { ...rec, record: { ...rec.record, status: "timeout", errorType: "Sandbox.Timedout" } };
    assert.equal(parseReport(JSON.stringify(timeout), ID)?.status, "timeout");
  });

  it("never takes application output for the REPORT", () => {
    const fake = `REPORT RequestId: ${ID}\tDuration: 9999.00 ms\tBilled Duration: 9999 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB\t`;
    // Printed by the function, so not last: the platform's own REPORT follows.
    const real = `REPORT RequestId: ${ID}\tDuration: 1.00 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 30 MB\t`;
    assert.equal(parseReport(`${fake}\nEND RequestId: ${ID}\n${real}\n`, ID)?.durationMs, 1);
    // A tail cut before the platform's REPORT has none, even if the output looks like one.
    assert.equal(parseReport(`${fake}\nsome more output\n`, ID), undefined);
    // A REPORT of another request is not this invocation's.
    assert.equal(parseReport(real.replace(ID, "00000000-0000-0000-0000-000000000000"), ID), undefined);
    // Malformed values make the line not a REPORT.
    assert.equal(parseReport(real.replace("1.00 ms", "fast"), ID), undefined);
    assert.equal(parseReport("", ID), undefined);
  });

  it("reads every tail as the line-by-line reading does (the fast path for the common tail)", () => {
    const report = (id: string, extra: string) =>
      `REPORT RequestId: ${id}\tDuration: 1.23 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t${extra}`;
    const line = fc.oneof(
      fc.constantFrom(ID, "other-id").chain((id) => fc.constantFrom("", "Init Duration: 100.5 ms\t", "Status: timeout\t", "Restore Duration: x ms\t")
        .map((extra) => report(id, extra))),
      fc.constantFrom(`START RequestId: ${ID} Version: $LATEST`, `END RequestId: ${ID}`, "", "XRAY TraceId: 1", "hello", "REPORT-ish output",
        "INIT_REPORT Init Duration: 500.1 ms\tPhase: invoke\tStatus: error\tError Type: Runtime.Unknown",
        '{"type":"platform.initReport","record":{"phase":"init","metrics":{"durationMs":3}}}', '{"type":"platform.runtimeDone"}',
        `{"type":"platform.report","record":{"requestId":"${ID}","metrics":{"durationMs":1,"billedDurationMs":2,"memorySizeMB":128,"maxMemoryUsedMB":9}}}`),
      fc.string({ maxLength: 8 }),
    );
    const tail = fc.tuple(fc.array(fc.tuple(line, fc.constantFrom("\n", "\r\n")), { maxLength: 6 }), fc.boolean())
      .map(([ls, end]) => { const t = ls.map(([l, nl]) => l + nl).join(""); return end ? t : t.replace(/\r?\n$/, ""); });
    fc.assert(fc.property(tail, fc.constantFrom(undefined, 3000), (t, timeoutMs) => {
      assert.deepEqual(parseReport(t, ID, { timeoutMs }), parseReportLines(t, ID, { timeoutMs }));
      assert.deepEqual(parseReport(t), parseReportLines(t));
    }), { numRuns: 3000 });
  });

  it("reads every REPORT line as splitting it on tabs and trimming each field does", () => {
    // The plain reading the parser walks in place: a regular expression per number, copies of every field.
    const plain = (line: string) => {
      const fields = line.slice("REPORT RequestId: ".length).split("\t").map((f) => f.trim()).filter((f) => f);
      const m: Record<string, unknown> = { requestId: fields[0] };
      const units: Record<string, [string, string]> = {
        "Duration": ["durationMs", "ms"], "Billed Duration": ["billedMs", "ms"], "Memory Size": ["memoryMb", "MB"],
        "Max Memory Used": ["maxMemoryMb", "MB"], "Init Duration": ["initMs", "ms"], "Restore Duration": ["restoreMs", "ms"],
        "Billed Restore Duration": ["billedRestoreMs", "ms"],
      };
      for (const field of fields.slice(1)) {
        const colon = field.indexOf(": ");
        if (colon < 0) return undefined;
        const [key, value] = [field.slice(0, colon), field.slice(colon + 2).trim()];
        if (key === "Status" || key === "Error Type") {
          if (!value) return undefined;
          m[key === "Status" ? "status" : "errorType"] = value;
        } else if (units[key]) {
          const match = /^(\d+(?:\.\d+)?) ?(\w+)$/.exec(value);
          if (!match || match[2] !== units[key][1]) return undefined;
          m[units[key][0]] = Number(match[1]);
        }
      }
      return ["requestId", "durationMs", "billedMs", "memoryMb", "maxMemoryMb"].every((k) => m[k] !== undefined) ? m : undefined;
    };
    const often = <T>(usual: T, ...rare: T[]) => fc.oneof({ weight: 6, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: fc.constantFrom(...rare) });
    const space = often("", " ", "  ", "\u00a0", "\u2003", "\ufeff", "\v");
    const sep = often(": ", ":", ":  ", " : ");
    const value = fc.constantFrom("1.23 ms", "2 ms", "128 MB", "40MB", "7.5ms", "x ms", "1.2.3 ms", "timeout", "", "3 ms ", "Runtime.Exit: 1");
    const field = (key: fc.Arbitrary<string>, v: fc.Arbitrary<string>) =>
      fc.tuple(space, key, sep, v, space).map((parts) => parts.join(""));
    // The four fields every REPORT has (usually well formed), then others, in any order.
    const required = fc.tuple(
      field(fc.constant("Duration"), fc.oneof({ weight: 5, arbitrary: fc.constantFrom("1.23 ms", "0.5ms", "12 ms") }, value)),
      field(fc.constant("Billed Duration"), fc.oneof({ weight: 5, arbitrary: fc.constantFrom("2 ms", "100 ms") }, value)),
      field(fc.constant("Memory Size"), fc.oneof({ weight: 5, arbitrary: fc.constantFrom("128 MB", "1024MB") }, value)),
      field(fc.constant("Max Memory Used"), fc.oneof({ weight: 5, arbitrary: fc.constantFrom("40 MB", "7 MB") }, value)),
    );
    const other = fc.oneof(
      field(fc.constantFrom("Init Duration", "Restore Duration", "Billed Restore Duration", "Status", "Error Type", "Other", "Dura tion",
        "Duration", "Memory Size"), value),
      fc.tuple(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 })).map(([k, v]) => `${k}: ${v}`),
      fc.constantFrom("", " ", "no colon"),
    );
    const line = fc.tuple(space, required, fc.array(other, { maxLength: 3 }), fc.constantFrom("", "\t", "\t\t"))
      .chain(([sp, req, more, end]) => fc.shuffledSubarray([...req, ...more], { minLength: req.length + more.length })
        .map((fields) => `REPORT RequestId: ${sp}${ID}\t${fields.join("\t")}${end}`));
    let complete = 0;
    fc.assert(fc.property(line, (l) => {
      const got = parseReport(l);
      if (got) complete++;
      assert.deepEqual(got && { ...got }, plain(l));
    }), { numRuns: 5000 });
    assert.ok(complete > 500, `only ${complete} of the lines were whole REPORTs`);
  });

  it("reads a number of any length as Number() does, to the last bit", () => {
    const digits = (max: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: max }).map((d) => d.join(""));
    const number = fc.oneof(digits(20), fc.tuple(digits(12), digits(12)).map(([a, b]) => `${a}.${b}`));
    const read = (n: string) =>
      parseReport(`REPORT RequestId: ${ID}\tDuration: ${n} ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 9 MB`)?.durationMs;
    fc.assert(fc.property(number, (n) => assert.equal(read(n), Number(n))), { numRuns: 5000 });
    // Past 2^53, where summing digits in a double would round on the way.
    for (const n of ["9007199254740993", "9999999999999999", "999999999999999.9", "0.1234567890123456", "123456789012345"]) {
      assert.equal(read(n), Number(n), n);
    }
  });

  it("reads a field's number and unit as the pattern /^(\\d+(?:\\.\\d+)?) ?(\\w+)$/ does", () => {
    const chars = (xs: string[], max: number) => fc.array(fc.constantFrom(...xs), { maxLength: max }).map((cs) => cs.join(""));
    const value = fc.oneof(
      chars(["1", "2", "0", "9", ".", " ", "m", "s", "M", "B", "_", "-", "x"], 9),
      fc.tuple(chars(["1", "0", "9"], 3), fc.constantFrom("", ".", ".5", "5."), chars(["3", "."], 2), fc.constantFrom("", " ", "  "),
        fc.constantFrom("ms", "MB", "m", "3ms", "ms_", "", "MB "), fc.constantFrom("", " ")).map((p) => p.join("")),
    );
    fc.assert(fc.property(value, fc.constantFrom("ms", "MB"), (v, unit) => {
      // The field's value reaches the number reader trimmed.
      const match = /^(\d+(?:\.\d+)?) ?(\w+)$/.exec(v.trim());
      const expected = match && match[2] === unit ? Number(match[1]) : undefined;
      const line = `REPORT RequestId: ${ID}\tDuration: ${unit === "ms" ? v : "1 ms"}\tBilled Duration: 2 ms\tMemory Size: ${unit === "MB" ? v : "128 MB"}\tMax Memory Used: 9 MB`;
      const got = parseReport(line, ID);
      assert.equal(unit === "ms" ? got?.durationMs : got?.memoryMb, expected);
    }), { numRuns: 5000 });
  });
});
