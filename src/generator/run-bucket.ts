// The Lambda driver's view of the stack's bucket (issue 28): one run's prefix, runs/<run id>/, and
// nothing else. Every key is checked before a request is made, so a Map item or a spec cannot
// steer the driver's reads or writes elsewhere (the role's policy says the same: runs/ only).
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { RUN_ID, runPrefix } from "./spec";

/** A request the driver refuses, or an object it cannot read: one line. */
export class DriverRefusal extends Error {}

export class RunBucket {
  readonly prefix: string;

  constructor(private readonly s3: S3Client, readonly bucket: string, readonly runId: string) {
    if (!RUN_ID.test(runId)) throw new DriverRefusal(`run id ${JSON.stringify(runId)}: 1 to 64 letters, digits, - or _, starting with a letter or digit`);
    this.prefix = runPrefix(runId);
  }

  /** `s3://bucket/key`, for messages. */
  url(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  private check(key: string): void {
    if (!key.startsWith(this.prefix) || key.split("/").some((p) => p === ".." || p === ".")) {
      throw new DriverRefusal(`${JSON.stringify(key)} is outside ${this.url(this.prefix)}: the driver reads and writes only its run's prefix`);
    }
  }

  async getBytes(key: string): Promise<Uint8Array> {
    this.check(key);
    try {
      const res = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return await res.Body!.transformToByteArray();
    } catch (err) {
      throw new DriverRefusal(`${this.url(key)}: ${s3Message(err)}`);
    }
  }

  /**
   * Whether an object is there (HeadObject; s3:GetObject allows it). Without s3:ListBucket S3
   * answers 403, not 404, for a missing key: both mean "not there" here.
   */
  async exists(key: string): Promise<boolean> {
    this.check(key);
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || status === 403) return false;
      throw new Error(`${this.url(key)}: ${s3Message(err)}`);
    }
  }

  async getText(key: string): Promise<string> {
    return Buffer.from(await this.getBytes(key)).toString("utf8");
  }

  /** PutObject; the SDK retries what can be retried, then this rejects with one line naming the key. */
  async put(key: string, body: Buffer | string, contentType: string): Promise<void> {
    this.check(key);
    try {
      await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
    } catch (err) {
      throw new Error(`${this.url(key)}: ${s3Message(err)}`);
    }
  }

  putJson(key: string, value: unknown): Promise<void> {
    return this.put(key, `${JSON.stringify(value, null, 2)}\n`, "application/json");
  }
}

/** An S3 error as one line: its name and message. */
export function s3Message(err: unknown): string {
  const e = (err ?? {}) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : "";
  return `${e.name ?? "Error"}${status}: ${(e.message ?? String(err)).split("\n")[0]}`;
}
