// The manifest's policies rules (DESIGN section 2): each asserts the exact line, column and text.
import { strict as assert } from "node:assert";
import { errorsOf, validOf, yaml } from "./fixtures";

/** A valid one-benchmark manifest; `extra` lines (indented 4) are added to the benchmark. */
const ok = (extra = "") =>
  `benchmarks:\n  - function: aes\n    build: { context: app, dockerfile: docker/Dockerfile.Lambda }\n${extra}\n`;

describe("manifest: policies", () => {
  it("accepts bare and scoped catalogue entries", () => {
    const m = validOf(yaml`
      benchmarks:
        - function: driver
          build: { context: app }
          policies:
            - access_s3
            - invoke_function: [mapper]
            - access_s3: [my-bucket]
            - managed: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]
        - function: mapper
          build: { context: app }
    `);
    assert.deepEqual(m.benchmarks[0].policies.map((p) => [p.name, p.scope]), [
      ["access_s3", undefined], ["invoke_function", ["mapper"]], ["access_s3", ["my-bucket"]],
      ["managed", ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]],
    ]);
    assert.equal(m.usesBucket, true, "bare access_s3 needs the data bucket");
  });

  it("rejects unknown catalogue names and a bare managed", () => {
    assert.deepEqual(errorsOf(ok("    policies: [s3_access, managed]")), [
      "4:16: unknown policy \"s3_access\": use one of access_s3, invoke_function",
      "4:27: unknown policy \"managed\": use one of access_s3, invoke_function (managed needs a list: {managed: [...]})",
    ]);
  });

  it("rejects scoped forms with other keys, two keys, or an empty list", () => {
    assert.deepEqual(errorsOf(ok("    policies:\n      - {s3: [a]}\n      - {access_s3: [aaa], invoke_function: [aes]}\n      - {access_s3: []}")), [
      "5:9: a scoped policy is a map with one key, one of access_s3, invoke_function, managed; got keys s3",
      "6:9: a scoped policy is a map with one key, one of access_s3, invoke_function, managed; got keys access_s3, invoke_function",
      "7:21: access_s3 scope must be a non-empty list of names; got a list",
    ]);
  });

  it("requires invoke_function names to be functions of this manifest", () => {
    assert.deepEqual(errorsOf(ok("    policies:\n      - invoke_function: [aes, mappr]\n  - function: mapper\n    build: {context: app}")), [
      "5:32: invoke_function names \"mappr\", which is not a function of this manifest (did you mean \"mapper\"?)",
    ]);
  });

  it("checks bucket names and managed policy ARNs", () => {
    assert.deepEqual(errorsOf(ok("    policies:\n      - access_s3: [My_Bucket]\n      - managed: [AmazonS3ReadOnlyAccess]")), [
      "5:21: access_s3 names \"My_Bucket\", which is not a valid S3 bucket name: 3 to 63 lower-case letters, digits, '.' or '-'",
      "6:19: managed names \"AmazonS3ReadOnlyAccess\", which is not an IAM policy ARN (arn:aws:iam::aws:policy/NAME or arn:aws:iam::ACCOUNT:policy/NAME)",
    ]);
  });
});
