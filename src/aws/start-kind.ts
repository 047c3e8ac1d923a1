// How the environment that served a call was started: Lambda's own four kinds (issue 15; DESIGN
// section 5). Pricing bills them apart; the run file records one per call.
export const START_KINDS = ["cold", "restore", "provisioned", "warm"] as const;
export type StartKind = (typeof START_KINDS)[number];
