// What every doctor check takes and gives: the context (environment, manifest, region, endpoint)
// and one line of result with its fix. A leaf of the doctor room: checks.ts, account.ts and
// region.ts all import it, and it imports none of them.
import type { Platform } from "../manifest/schema";

export interface AccountNeeds {
  function: string;
  memory: number;
  reservedConcurrency?: number;
  provisionedConcurrency?: number;
}

export interface CheckResult {
  ok: boolean;
  /** What was checked, and what was found. */
  line: string;
  /** How to fix a failure. */
  fix?: string;
}

export interface DoctorContext {
  env: NodeJS.ProcessEnv;
  /** The platforms the manifest builds, when a manifest was read. */
  platforms: readonly Platform[] | undefined;
  region?: string;
  profile?: string;
  /** An STS-compatible endpoint (moto in the tests). */
  endpoint?: string;
  /** The manifest's benchmarks, when one was read: their memory and concurrency, checked against the account. */
  benchmarks?: readonly AccountNeeds[];
  /** The Pulumi project's folder, where Pulumi.<stack>.yaml is (default: the working directory). */
  projectDir?: string;
}
