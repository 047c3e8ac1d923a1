// "Change the configuration, run, put the original back": the one implementation that cold
// forcing (an env nonce), the memory sweep and `--interleave` of memory sizes share. Each change
// waits for LastUpdateStatus under one wait policy (DEFAULT_WAIT unless a test passes its own);
// the original goes back after the body however it ended (success, error, Ctrl-C), and a failure
// to put it back has one wording, naming the function, what was changed and the value it needed.
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { DEFAULT_WAIT, updateAndWait, type ConfigChange, type WaitPolicy } from "./configuration";

export interface TemporaryChange {
  /** What is changed, in words: "memory", "environment". */
  what: string;
  /** The change made before the body; none when the body makes each of its own through `set`. */
  apply?: ConfigChange;
  /** What puts the original back, and that original in words ("512 MB", "its deployed variables"). */
  restore: ConfigChange;
  original: string;
}

/** Putting the original back failed: the function is left changed. */
export class RestoreError extends Error {
  /** The body's own error, when the body failed before the restore failed too. */
  during?: unknown;

  constructor(readonly functionName: string, readonly change: TemporaryChange, readonly cause: unknown) {
    super(`could not put ${functionName}'s ${change.what} back to ${change.original}`);
  }

  /** The one wording, with the cause in the caller's words (describeAwsError for the CLI). */
  describe(why: (err: unknown) => string = (e) => (e as Error)?.message ?? String(e)): string {
    return `${this.message}: ${why(this.cause)}; run \`pulumi up\` to restore it`;
  }
}

/** Changes not yet put back, in this process: what a run that must leave at once names. */
export const pendingRestores = new Set<{ functionName: string; change: TemporaryChange }>();

export interface Temporary<T> {
  value?: T;
  /** Set when the original could not be put back. */
  restoreError?: RestoreError;
}

/**
 * Applies `change.apply` (if any), runs `body` (which may make further changes with `set`), and
 * puts `change.restore` back whatever happened. The body's error is rethrown after the restore,
 * unless the restore failed too: then the RestoreError (the function left changed, the body's error
 * in `during`) is thrown.
 */
export async function withTemporaryConfiguration<T>(
  client: LambdaClient, functionName: string, change: TemporaryChange,
  body: (set: (c: ConfigChange) => Promise<void>) => Promise<T>, wait: WaitPolicy = DEFAULT_WAIT,
): Promise<Temporary<T>> {
  const set = (c: ConfigChange) => updateAndWait(client, functionName, c, wait);
  const pending = { functionName, change };
  pendingRestores.add(pending);
  let failed: { error: unknown } | undefined;
  const result: Temporary<T> = {};
  try {
    if (change.apply) await set(change.apply);
    result.value = await body(set);
  } catch (error) {
    failed = { error };
  }
  try {
    await set(change.restore);
  } catch (err) {
    result.restoreError = new RestoreError(functionName, change, err);
  } finally {
    pendingRestores.delete(pending);
  }
  if (failed && result.restoreError) result.restoreError.during = failed.error;
  if (failed) throw result.restoreError ?? failed.error;
  return result;
}
