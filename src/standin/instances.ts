// An instance model for the loopback Invoke server, as Lambda scales: a call takes an idle
// instance of its function if there is one (warm), else starts a new one (cold, with an init
// time), so B calls at once on a cold function are B cold starts. An instance idle longer than
// `evictAfterMs` is reclaimed. Its log is the truth tests compare the client's figures with.
// Opt-in: InvokeServer's own cold flag (first call after a change) stays the default.
import { performance } from "node:perf_hooks";
import { logTail, type Call, type Script } from "./invoke-server";

export interface InstanceLogEntry {
  n: number;
  requestId: string;
  instance: number;
  cold: boolean;
  /** Server clock (performance.now) when the call arrived and when its answer was ready. */
  arrivedAt: number;
  doneAt: number;
}

export interface InstanceOptions {
  /** An instance idle this long is reclaimed (default: never). */
  evictAfterMs?: number;
  /** Handler time of a call, and the extra init time of a cold one. */
  serviceMs?: number;
  initMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class Instances {
  private readonly idle = new Map<string, { id: number; freeAt: number }[]>();
  private nextId = 0;
  readonly log: InstanceLogEntry[] = [];

  constructor(private readonly opts: InstanceOptions = {}) {}

  private now(): number {
    return (this.opts.now ?? (() => performance.now()))();
  }

  /** Takes the most recently freed live instance of the function, or starts a new one. */
  acquire(functionName: string, now = this.now()): { id: number; cold: boolean } {
    const pool = this.idle.get(functionName) ?? [];
    const evict = this.opts.evictAfterMs ?? Infinity;
    const live = pool.filter((i) => now - i.freeAt <= evict);
    const taken = live.pop();
    this.idle.set(functionName, live);
    return taken ? { id: taken.id, cold: false } : { id: this.nextId++, cold: true };
  }

  release(functionName: string, id: number, now = this.now()): void {
    const pool = this.idle.get(functionName) ?? [];
    pool.push({ id, freeAt: now });
    this.idle.set(functionName, pool);
  }

  /** A script for InvokeServer.start: each call on an instance, answered with its REPORT tail. */
  script(): Script {
    const serviceMs = this.opts.serviceMs ?? 10;
    const initMs = this.opts.initMs ?? 50;
    const sleep = this.opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    return async (call: Call) => {
      const arrivedAt = this.now();
      const { id, cold } = this.acquire(call.functionName, arrivedAt);
      await sleep(serviceMs + (cold ? initMs : 0));
      const doneAt = this.now();
      this.release(call.functionName, id, doneAt);
      this.log.push({ n: call.n, requestId: call.requestId, instance: id, cold, arrivedAt, doneAt });
      const report = { durationMs: serviceMs, billedMs: Math.ceil(serviceMs + (cold ? initMs : 0)), memoryMb: 128, maxMemoryMb: 40,
        ...(cold ? { initMs } : {}) };
      return { kind: "ok", payload: "{}", log: logTail(call.requestId, report) };
    };
  }
}
