// `--payload JSON|@file`: the event every invocation of a command sends, checked before any call
// (the rules: aws/payload.ts); a bad one is a usage error.
import { payloadBytes, PayloadError } from "../aws/payload";
import { UserError } from "./errors";

export { MAX_PAYLOAD_BYTES } from "../aws/payload";

/** `--payload JSON|@file`, checked to be JSON of at most 6 MB before anything is sent. */
export function readPayload(arg: string | undefined): Uint8Array {
  if (arg === undefined) return Buffer.from("{}");
  try {
    return payloadBytes(arg, "--payload");
  } catch (err) {
    if (err instanceof PayloadError) throw new UserError(err.message, 2);
    throw err;
  }
}
