// The exact merge of a sharded run (issue 28): N shard JSONL files become one run file sorted by
// scheduled time (ties by shard, then by the shard's own order), every record carrying its
// `shard`, and the run's summary is the fold of that union (RunSummary, as `report` folds a run
// file), so its percentiles are exact: never an average of the shards' percentiles.
// A shard writes its records as calls complete, so its file is not in scheduled order (a slow call
// is written after faster ones scheduled later, by as many as were sent meanwhile). The merge is
// therefore an external sort, never the whole run in memory: the shards' records are read in
// chunks, each chunk sorted and spilled to a temporary run file (the last one stays in memory),
// and the sorted runs are k-way merged through a heap, at most `fanIn` files open at once (more
// runs are merged in rounds). A merge can also check the union against the schedule it must be.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RunFileParser, runFileLines } from "../runs/read";
import type { InvocationRecord } from "../runs/record";
import type { Schedule } from "../workload/schedule";
import { RunSummary } from "../summary/summary";
import { MinHeap } from "./heap";
import { readShardClock, startSkew, type StartSkew } from "./skew";

/** One shard's output: its records, and its clock file when it wrote one (skew.ts). */
export interface ShardFiles {
  shard: number;
  records: string;
  clock?: string;
}

export interface MergeOptions {
  /** Records sorted in memory at once before they are spilled to a temporary run file. */
  chunk?: number;
  /** Sorted run files merged at once (files open at once). */
  fanIn?: number;
  /** Where the temporary run files go (a fresh folder under it, removed at the end). */
  tmpDir?: string;
  /** Hears of a shard file's last line cut short. */
  warn?: (message: string) => void;
  /**
   * The schedule the union must be, time for time (sent and dropped calls, warm-ups aside): for
   * uniform, ramp, burst and trace workloads the one-process schedule (segments.ts scheduleOf).
   */
  expected?: Schedule;
  /** How far a record's scheduledAt may be from the expected time (ms); default 0.001. */
  toleranceMs?: number;
}

export interface MergeResult {
  records: number;
  summary: RunSummary;
  /** From the shards' clock files; null unless every shard has one. */
  skew: StartSkew | null;
  /** Temporary run files written (0 when the run fit in one chunk). */
  spilled: number;
}

/** A merge that cannot be done: one line naming the file and what is wrong. */
export class MergeError extends Error {}

/** A record in sort order: scheduled time, shard, position in the shard's file; the record as JSON. */
interface Entry { s: number; shard: number; seq: number; json: string }

const before = (a: Entry, b: Entry): boolean =>
  a.s < b.s || (a.s === b.s && (a.shard < b.shard || (a.shard === b.shard && a.seq < b.seq)));

const byOrder = (a: Entry, b: Entry): number => a.s - b.s || a.shard - b.shard || a.seq - b.seq;

/** A sorted run: in memory, or a temporary file of `s \t shard \t seq \t json` lines. */
type Run = Entry[] | string;

/** The head of a sorted run, advanced one entry at a time. */
interface Source { head: Entry | undefined; advance(): Promise<void> }

function memorySource(entries: Entry[]): Source {
  let i = 0;
  const src: Source = { head: entries[0], advance: async () => void (src.head = entries[++i]) };
  return src;
}

async function fileSource(file: string): Promise<Source> {
  const lines: AsyncIterator<string> = runFileLines(file)[Symbol.asyncIterator]();
  const src: Source = {
    head: undefined,
    advance: async () => {
      const next = await lines.next();
      if (next.done) {
        src.head = undefined;
        return;
      }
      const [s, shard, seq] = next.value.split("\t", 3);
      const json = next.value.slice(s.length + shard.length + seq.length + 3);
      src.head = { s: Number(s), shard: Number(shard), seq: Number(seq), json };
    },
  };
  await src.advance();
  return src;
}

/** Appends text to a file in large writes. */
class BlockWriter {
  private readonly fd: number;
  private buffer = "";

  constructor(file: string) {
    this.fd = fs.openSync(file, "w");
  }

  write(text: string): void {
    this.buffer += text;
    if (this.buffer.length >= 1 << 20) this.flush();
  }

  flush(): void {
    if (this.buffer) fs.writeSync(this.fd, this.buffer);
    this.buffer = "";
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

/** Merges sorted runs, each entry to `sink` in order. */
async function mergeRuns(runs: Run[], sink: (e: Entry) => void): Promise<void> {
  const heap = new MinHeap<Source>((a, b) => before(a.head!, b.head!));
  for (const run of runs) {
    const src = typeof run === "string" ? await fileSource(run) : memorySource(run);
    if (src.head) heap.push(src);
  }
  while (heap.size > 0) {
    const src = heap.pop()!;
    sink(src.head!);
    await src.advance();
    if (src.head) heap.push(src);
  }
}

/** Merges the shards' record files into `out`; resolves with the union's summary and the skew. */
export async function mergeShards(shards: readonly ShardFiles[], out: string, opts: MergeOptions = {}): Promise<MergeResult> {
  const chunk = opts.chunk ?? 50_000;
  const fanIn = Math.max(2, opts.fanIn ?? 64);
  const seen = new Set<number>();
  for (const s of shards) {
    if (seen.has(s.shard)) throw new MergeError(`shard ${s.shard} is given twice (${s.records})`);
    if (path.resolve(s.records) === path.resolve(out)) throw new MergeError(`${out}: the merged file cannot be a shard's own file`);
    seen.add(s.shard);
  }
  if (shards.length === 0) throw new MergeError("no shard files to merge");
  const tmp = fs.mkdtempSync(path.join(opts.tmpDir ?? os.tmpdir(), "lambda-bench-merge-"));
  let files = 0;
  const spill = (entries: Entry[]): string => {
    const file = path.join(tmp, `run-${files++}.tsv`);
    const w = new BlockWriter(file);
    for (const e of entries) w.write(`${e.s}\t${e.shard}\t${e.seq}\t${e.json}\n`);
    w.close();
    return file;
  };
  try {
    // 1. Chunks of records, each sorted; every chunk but the last spilled to a file.
    const runs: Run[] = [];
    let buffer: Entry[] = [];
    for (const s of shards) {
      const parser = new RunFileParser(s.records);
      for await (const line of runFileLines(s.records)) {
        const r = parser.line(line);
        if (r === undefined) continue;
        if (r.shard !== null && r.shard !== s.shard) throw new MergeError(`${s.records}:${parser.lines}: a record of shard ${r.shard} in shard ${s.shard}'s file`);
        buffer.push({ s: r.scheduledAt ?? -Infinity, shard: s.shard, seq: parser.records, json: JSON.stringify({ ...r, shard: s.shard }) });
        if (buffer.length >= chunk) {
          runs.push(spill(buffer.sort(byOrder)));
          buffer = [];
        }
      }
      parser.end(opts.warn);
    }
    if (buffer.length) runs.push(buffer.sort(byOrder));
    // 2. Rounds of at most fanIn runs into one, then the last round into the run file.
    while (runs.length > fanIn) {
      const group = runs.splice(0, fanIn);
      const file = path.join(tmp, `run-${files++}.tsv`);
      const w = new BlockWriter(file);
      await mergeRuns(group, (e) => w.write(`${e.s}\t${e.shard}\t${e.seq}\t${e.json}\n`));
      w.close();
      runs.push(file);
    }
    const summary = new RunSummary();
    const check = opts.expected ? expectation(opts.expected, opts.toleranceMs ?? 0.001, out) : undefined;
    const w = new BlockWriter(out);
    let records = 0;
    try {
      await mergeRuns(runs, (e) => {
        w.write(`${e.json}\n`);
        const r = JSON.parse(e.json) as InvocationRecord;
        check?.record(r, records);
        summary.add(r);
        records++;
      });
      check?.end(records);
    } catch (err) {
      // A merged file that failed its check is not left behind to be read as a run.
      w.close();
      fs.rmSync(out, { force: true });
      throw err;
    }
    w.close();
    const clocks = shards.every((s) => s.clock !== undefined) ? shards.map((s) => readShardClock(s.clock!)) : null;
    return { records, summary, skew: clocks ? startSkew(clocks) : null, spilled: files };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Walks `expected` beside the merged records: each scheduled time in turn, then nothing more. */
function expectation(expected: Schedule, tolerance: number, out: string) {
  return {
    record(r: InvocationRecord, i: number): void {
      if (r.warmup) return;
      const t = expected.next();
      if (t === Infinity) throw new MergeError(`${out}: record ${i + 1} (shard ${r.shard}) is past the end of the schedule: the shards sent more calls than it holds`);
      if (r.scheduledAt === null || Math.abs(r.scheduledAt - t) > tolerance) {
        throw new MergeError(`${out}: record ${i + 1} (shard ${r.shard}) was scheduled at ${r.scheduledAt} ms; the schedule's call there is at ${t} ms`);
      }
    },
    end(records: number): void {
      const t = expected.next();
      if (t !== Infinity) throw new MergeError(`${out}: the shards' ${records} records end before the schedule does: its call at ${t} ms is missing`);
    },
  };
}
