// An invocation's event, `JSON` or `@file`: checked once, before anything is sent. Lambda's
// synchronous Invoke takes any JSON document (an object, an array, a string, a number,
// true/false/null), as the AWS CLI sends it, so any JSON is accepted; what Lambda would refuse on
// every call (not JSON, not UTF-8, more than 6 MB) is refused here. Used by `--payload`
// (cli/payload.ts) and a study file's `payload` (study/load.ts), each naming the input its own way.
import * as fs from "node:fs";
import * as path from "node:path";
import { readCapped, ReadCappedError } from "../read-capped";

/** Lambda's limit on a synchronous invocation's request payload: 6 MB (6,291,456 bytes). */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** Why a payload cannot be sent, in one line that names it as the caller's user wrote it. */
export class PayloadError extends Error {}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The bytes of `JSON` or `@file` (relative to `baseDir`, default the process's folder); throws
 * PayloadError. `name` is the input's name in messages: `--payload`, `payload`.
 */
export function payloadBytes(arg: string, name: string, baseDir = "."): Uint8Array {
  const fromFile = arg.startsWith("@");
  const file = arg.slice(1);
  const what = fromFile ? `${name} @${file}` : name;
  if (fromFile && file === "") throw new PayloadError(`${name} @ names no file: pass @path/to/event.json, or the JSON itself`);
  let bytes: Buffer;
  if (fromFile) {
    try {
      bytes = readCapped(path.resolve(baseDir, file), MAX_PAYLOAD_BYTES);
    } catch (err) {
      if (!(err instanceof ReadCappedError)) throw err;
      if (err.reason === "too-large") throw tooLarge(what, err.size);
      throw new PayloadError(`cannot read payload file ${file}: ${err.message}`);
    }
  } else {
    bytes = Buffer.from(arg, "utf8");
    if (bytes.length > MAX_PAYLOAD_BYTES) throw tooLarge(what, bytes.length);
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new PayloadError(`${what} is not UTF-8 text; Lambda takes a JSON event in UTF-8`);
  }
  if (text.charCodeAt(0) === 0xfeff) {
    throw new PayloadError(`${what} starts with a byte order mark, which JSON does not allow; save it as UTF-8 without one`);
  }
  try {
    JSON.parse(text);
  } catch (err) {
    const why = (err as Error).message.split("\n")[0];
    // A file's path given without its `@`: say so, rather than only that the path is not JSON.
    if (!fromFile && isFile(path.resolve(baseDir, arg))) {
      throw new PayloadError(`${name} ${arg} is not JSON, but a file of that name exists: pass @${arg} to send its contents`);
    }
    throw new PayloadError(`${what} is not JSON (${why}); pass a JSON document or @file.json`);
  }
  return bytes;
}

function tooLarge(what: string, size: number | undefined): PayloadError {
  const got = size === undefined ? "more than 6 MB" : `${size} bytes`;
  return new PayloadError(`${what} is ${got}; Lambda's synchronous invoke takes at most 6 MB (${MAX_PAYLOAD_BYTES} bytes) of payload`);
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
