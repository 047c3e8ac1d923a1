// What a record says of the workload it was sent under (its shape and the parameters of its
// schedule): the shapes' own descriptor, defined here beside them, and carried by every record
// (src/runs/record.ts), so data flows one way: workload -> records.
import { z } from "zod";

/** The workload shapes (src/workload/); `idle` is the idle-time experiment. */
export const WORKLOAD_SHAPES = ["closed", "open", "ramp", "burst", "trace", "idle"] as const;

/**
 * The workload a record was sent under: its shape and the parameters that define its schedule
 * (`rate`, `arrivals`, `seed`, `burst`, `every`, `trace`, ...). The same object on every record of
 * a run, so a record read alone still says what produced it.
 */
export const Workload = z.object({ shape: z.enum(WORKLOAD_SHAPES) })
  .catchall(z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type Workload = z.infer<typeof Workload>;

export const CLOSED_LOOP: Workload = { shape: "closed" };
