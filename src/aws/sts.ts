// sts:GetCallerIdentity, signed with SigV4 by @smithy/signature-v4 (already a dependency) rather
// than a second SDK client: one POST, one XML field. Used for the account id in a run's provenance.
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import { request } from "undici";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

const bytes = (d: string | ArrayBuffer | ArrayBufferView): string | Uint8Array =>
  typeof d === "string" ? d : ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d);

class Sha256 {
  private readonly h: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret ? createHmac("sha256", bytes(secret)) : createHash("sha256");
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
}

/** The account id of the credentials, or null when STS cannot be reached or refuses (never throws). */
export async function callerAccount(region: string, credentials: Credentials, endpoint?: string, timeoutMs = 5000): Promise<string | null> {
  try {
    const url = new URL(endpoint ?? `https://sts.${region}.amazonaws.com/`);
    const body = "Action=GetCallerIdentity&Version=2011-06-15";
    const signer = new SignatureV4({ credentials, region, service: "sts", sha256: Sha256 });
    const signed = await signer.sign({
      method: "POST", protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path: url.pathname || "/",
      headers: { host: url.host, "content-type": "application/x-www-form-urlencoded; charset=utf-8" }, body,
    });
    // undici's request (the package measure's own transport is loaded from), not the global fetch:
    // fetch loads Node's bundled copy of undici on first use, ~30 ms of CPU at every run's start.
    const res = await request(url, { method: "POST", headers: signed.headers, body, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.body.text();
    if (res.statusCode < 200 || res.statusCode > 299) return null;
    const m = /<Account>\s*(\d{12})\s*<\/Account>/.exec(text);
    return m ? m[1] : null;
  } catch {
    return null;
  }
}
