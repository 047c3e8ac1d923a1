// One run's lifecycle, for every command that invokes (measure, sweep, interleave, idle) and those to
// come (the sharded generator, studies): its run files and their provenance sidecars, the signal
// handlers, the parent watch, progress, and the end, whatever caused it. The body runs inside
// `run()`; on ANY exit (success, error, signal, write failure, parent gone) the files are closed,
// each sidecar is rewritten with the end time, the calls planned and done and why the run was cut
// short (`interrupted`), and the handlers are removed; then the command prints its summary and
// leaves with `exitCode`. Restoring the configuration is the body's (withTemporaryConfiguration in
// restore.ts), so it happens before the lifecycle ends.
//
// How a run stops (the signals and npx): SIGINT, SIGTERM and SIGHUP each abort `signal`: no new
// call is sent, those in flight finish, the configuration is put back, every record is kept, and
// the command exits 130, 143 or 129. Started as `npx lambda-bench` (npm exec -> sh -c -> node), a
// signal sent to npx reaches this process only if the shell in between passes it on, and dash does
// not: the repository's .npmrc therefore sets `script-shell` to bash, which execs a one-command
// script, so npm (which forwards SIGINT and SIGTERM to its child) signals this process directly.
// A terminal's Ctrl-C or `timeout` signals the whole process group, so the same signal can arrive
// twice (directly, and forwarded by npm): a repeat within REPEAT_MS is the same request. A second
// one later leaves at once, after writing what is known. Whatever kills a parent (SIGHUP or
// SIGKILL to npx, a closed terminal), this process sees its parent id change (an unref'd poll)
// and stops as for a signal, with reason "parent-gone".
import type { InvocationRecord } from "../runs/record";
import { metaPathFor, writeProvenance, type Interrupted, type Provenance } from "../runs/provenance";
import { pendingRestores } from "./restore";

/** A run file, as the caller opens it (the CLI's RunOut: a failed write is printed at once). */
export interface RunSink {
  readonly path: string;
  readonly written: number;
  readonly error?: NodeJS.ErrnoException;
  /** Aborted when a write fails. */
  readonly signal: AbortSignal;
  write(r: InvocationRecord): void;
  flush(): void;
  close(): void;
}

export interface RunProgress {
  record(r: InvocationRecord): void;
  finish(): void;
}

/** What the lifecycle needs of the process; tests pass a fake one. */
export interface Host {
  on(signal: NodeJS.Signals, fn: () => void): void;
  off(signal: NodeJS.Signals, fn: () => void): void;
  ppid(): number;
  now(): number;
  /** Calls `fn` every `ms` without keeping the process alive; returns its stop. */
  every(ms: number, fn: () => void): () => void;
  /** Leaves at once (a second signal). */
  exit(code: number): void;
}

export const PROCESS_HOST: Host = {
  on: (s, fn) => process.on(s, fn),
  off: (s, fn) => process.off(s, fn),
  ppid: () => process.ppid,
  now: () => performance.now(),
  every: (ms, fn) => {
    const t = setInterval(fn, ms);
    t.unref();
    return () => clearInterval(t);
  },
  exit: (code) => process.exit(code),
};

export const SIGNALS: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
/** A repeat of a signal this soon is the same request (a process group's and npm's copy). */
export const REPEAT_MS = 1000;
export const PARENT_POLL_MS = 500;

export interface LifecycleOptions {
  open: (file: string) => RunSink;
  /** Calls planned in all, when known. */
  planned: number | null;
  progress?: RunProgress;
  host?: Host;
  /** A line for the user (the parent gone, leaving at once); stderr in the CLI. */
  warn?: (line: string) => void;
  /**
   * The run's provenance (one per side): given its end time and `interrupted` at the end even when
   * no file is written (a command's --json prints it); a lone one gets the run's `calls` too.
   */
  provenance?: Provenance[];
}

/** A sidecar: the provenance written beside a run file (or a sweep's folder meta.json). */
interface Sidecar {
  path: string;
  provenance: Provenance;
  planned: number | null;
  /** The calls it counts: its file's, or (a folder's) every call of the run. */
  done: () => number;
}

/** A run file opened through the lifecycle: records to it count towards its sidecar. */
export interface Output {
  sink: RunSink;
  record(r: InvocationRecord): void;
}

/** The sidecar of each output, for `complete`. */
const sidecarOf = new WeakMap<Output, Sidecar>();

export class RunLifecycle {
  private readonly stop = new AbortController();
  private readonly host: Host;
  private readonly sidecars: Sidecar[] = [];
  private readonly sinks: RunSink[] = [];
  private firstSignalAt?: number;
  private finished = false;
  /** Calls done in all. */
  done = 0;
  /** Why the run was cut short; null while it is not. */
  interrupted: Interrupted | null = null;
  private caught?: string;

  constructor(private readonly o: LifecycleOptions) {
    this.host = o.host ?? PROCESS_HOST;
  }

  /** Stops new calls: a signal, a failed write, the parent gone. */
  get signal(): AbortSignal {
    return this.stop.signal;
  }

  get aborted(): boolean {
    return this.stop.signal.aborted;
  }

  /** The exit code for an interruption: 130/143/129 for a signal, 129 for a parent gone; else undefined. */
  get exitCode(): number | undefined {
    if (this.interrupted?.reason === "signal") return SIGNALS[this.caught ?? "SIGINT"];
    if (this.interrupted?.reason === "parent-gone") return 129;
    return undefined;
  }

  /** Opens `file` with its sidecar, written at once (as cut short, until the end says otherwise). */
  output(file: string, provenance: Provenance, planned: number | null = this.o.planned): Output {
    const sink = this.o.open(file);
    this.sinks.push(sink);
    sink.signal.addEventListener("abort", () => this.fail("write-failed", `${sink.path}: ${describeCode(sink.error)}`), { once: true });
    let done = 0;
    const sidecar = this.addSidecar(metaPathFor(file), provenance, planned, () => done);
    const out: Output = {
      sink,
      record: (r) => {
        done++;
        this.record(r);
        sink.write(r);
      },
    };
    sidecarOf.set(out, sidecar);
    return out;
  }

  /**
   * One output of a longer run (a study's repetition) ran whole: its file is closed and its sidecar
   * written with its end time and not interrupted, and the run's end leaves both alone. Returns
   * false when the file could not be written whole (the sink's error): then it stays the end's.
   */
  complete(out: Output): boolean {
    out.sink.close();
    if (out.sink.error) return false;
    const s = sidecarOf.get(out);
    if (s) {
      this.sidecars.splice(this.sidecars.indexOf(s), 1);
      s.provenance.endedAt = new Date().toISOString();
      s.provenance.interrupted = null;
      s.provenance.calls = { planned: s.planned, done: s.done() };
      writeProvenance(s.path, s.provenance);
    }
    this.sinks.splice(this.sinks.indexOf(out.sink), 1);
    return true;
  }

  /** A sidecar with no run file of its own (a sweep folder's meta.json): it counts every call. */
  sidecar(file: string, provenance: Provenance, planned: number | null = this.o.planned): void {
    this.addSidecar(file, provenance, planned, () => this.done);
  }

  private addSidecar(file: string, provenance: Provenance, planned: number | null, done: () => number): Sidecar {
    const s: Sidecar = { path: file, provenance, planned, done };
    this.sidecars.push(s);
    this.write(s, { reason: "signal", detail: "the run did not record its end: it was killed (SIGKILL, a crash, a power cut)" });
    return s;
  }

  /** A record with no run file (no --out), or the count and progress of one that has. */
  record(r: InvocationRecord): void {
    this.done++;
    this.o.progress?.record(r);
  }

  /** Marks the run cut short by an error (the first reason stands) and stops it. */
  fail(reason: Interrupted["reason"], detail: string): void {
    this.interrupted ??= { reason, detail };
    this.stop.abort();
  }

  async run<T>(body: (life: RunLifecycle) => Promise<T>): Promise<T> {
    const handlers = Object.keys(SIGNALS).map((name) => {
      const fn = () => this.onSignal(name as NodeJS.Signals);
      this.host.on(name as NodeJS.Signals, fn);
      return [name as NodeJS.Signals, fn] as const;
    });
    const parent = this.host.ppid();
    const stopWatch = this.host.every(PARENT_POLL_MS, () => {
      const now = this.host.ppid();
      if (now === parent || this.stop.signal.aborted) return;
      this.o.warn?.(`lambda-bench: the parent process (${parent}) is gone: stopping; no new invocations are sent`);
      this.fail("parent-gone", `the parent process ${parent} exited (this process now belongs to ${now})`);
    });
    try {
      return await body(this);
    } catch (err) {
      this.fail("error", (err as Error)?.message?.split("\n")[0] ?? String(err));
      throw err;
    } finally {
      stopWatch();
      for (const [name, fn] of handlers) this.host.off(name, fn);
      this.end();
    }
  }

  private onSignal(name: NodeJS.Signals): void {
    const now = this.host.now();
    if (this.firstSignalAt === undefined) {
      this.firstSignalAt = now;
      this.caught = name;
      this.fail("signal", name);
      return;
    }
    if (now - this.firstSignalAt < REPEAT_MS) return;
    // A second request: leave now, with every completed record and the sidecars on disk.
    const left = [...pendingRestores].map((p) => `${p.functionName}'s ${p.change.what} (to ${p.change.original})`);
    if (left.length) this.o.warn?.(`lambda-bench: leaving at once, before putting back ${left.join(", ")}: run \`pulumi up\` to restore it`);
    this.end();
    this.host.exit(SIGNALS[name] ?? 130);
  }

  private end(): void {
    if (this.finished) return;
    this.finished = true;
    for (const s of this.sinks) s.close();
    this.o.progress?.finish();
    // A failure to flush or close lands in the sink's error without aborting anything before.
    const failed = this.sinks.find((s) => s.error);
    if (failed && !this.interrupted) this.interrupted = { reason: "write-failed", detail: `${failed.path}: ${describeCode(failed.error)}` };
    for (const s of this.sidecars) this.write(s, this.interrupted);
    const all = this.o.provenance ?? [];
    for (const p of all.filter((x) => !this.sidecars.some((s) => s.provenance === x))) {
      p.endedAt = new Date().toISOString();
      p.interrupted = this.interrupted;
      if (all.length === 1) p.calls = { planned: this.o.planned, done: this.done };
    }
  }

  private write(s: Sidecar, interrupted: Interrupted | null): void {
    s.provenance.endedAt = this.finished ? new Date().toISOString() : null;
    s.provenance.interrupted = interrupted;
    s.provenance.calls = { planned: s.planned, done: s.done() };
    try {
      writeProvenance(s.path, s.provenance);
    } catch (err) {
      // The run file's own failure says where; a sidecar that cannot be written is one line more.
      this.o.warn?.(`lambda-bench: cannot write ${s.path}: ${(err as Error).message.split("\n")[0]}`);
    }
  }
}

const describeCode = (e: NodeJS.ErrnoException | undefined) => e?.code ?? e?.message?.split("\n")[0] ?? "failed";
