// Every physical name the stack creates, against its service's rule, at the limit and one past,
// with and without a namePrefix; each error at the position of the field the name comes from.
import { strict as assert } from "node:assert";
import { errorsOf, validOf, yaml } from "./fixtures";

const one = (fn: string, extra = "") => `benchmarks:\n  - function: ${fn}\n    build: {context: app}\n${extra}`;

describe("manifest: Lambda function names with the prefix", () => {
  it("64 characters pass, 65 fail: without a prefix", () => {
    assert.deepEqual(errorsOf(one("f".repeat(64))), []);
    assert.deepEqual(errorsOf(one("f".repeat(65))), [
      `2:15: function "${"f".repeat(65)}" is not a valid Lambda function name: use 1 to 64 letters, digits, '-' or '_'`,
    ]);
  });

  it("with a prefix, the deployed name is what counts, and the error says how many characters are left", () => {
    assert.deepEqual(errorsOf(one("f".repeat(60)), { namePrefix: "dev-" }), []);
    assert.deepEqual(errorsOf(one("f".repeat(61)), { namePrefix: "dev-" }), [
      `2:15: function "${"f".repeat(61)}" deploys as "dev-${"f".repeat(61)}", 65 characters; Lambda allows 64: 60 characters are left for the function under namePrefix "dev-"`,
    ]);
  });

  it("a prefix Lambda refuses is reported once, at the first function", () => {
    const text = `${one("a1")}  - function: b1\n    build: {context: app}\n`;
    assert.deepEqual(errorsOf(text, { namePrefix: "dev." }).filter((e) => e.includes("Lambda")), [
      `2:15: namePrefix "dev." cannot begin a Lambda function name ("dev.a1"): Lambda allows only letters, digits, '-' and '_'`,
    ]);
  });
});

describe("manifest: ECR repository names with the prefix", () => {
  const repo = (n: number) => `r${"/r".repeat((n - 1) / 2)}`; // 1 + 2k characters, valid
  it("256 characters pass, 257 fail, without a prefix (the schema rule)", () => {
    assert.equal(repo(255).length, 255);
    assert.deepEqual(errorsOf(one("a1", `    repo: ${repo(255)}x\n`)), []);
    assert.equal(errorsOf(one("a1", `    repo: ${repo(257)}\n`)).length, 1);
  });

  it("with a prefix: the deployed repository may be 256, one past says what is left", () => {
    assert.deepEqual(errorsOf(one("a1", `    repo: ${repo(251)}x\n`), { namePrefix: "dev-" }), []);
    assert.deepEqual(errorsOf(one("a1", `    repo: ${repo(253)}\n`), { namePrefix: "dev-" }), [
      `4:11: repository "dev-${repo(253)}" is 257 characters; ECR allows 256: 252 characters are left for the repo under namePrefix "dev-"`,
    ]);
  });

  it("a prefix that ECR refuses (after lower-casing) is reported once, at the repo's origin", () => {
    assert.deepEqual(errorsOf(one("a1"), { namePrefix: "Dev_" }), []); // dev_a1 is a valid repository
    assert.deepEqual(errorsOf(one("a1"), { namePrefix: "-x" }).filter((e) => e.includes("ECR")), [
      `2:15: namePrefix "-x" cannot begin an ECR repository name ("-xa1"): ECR allows lower-case letters and digits, separated by '.', '_', '-' or '/'`,
    ]);
  });
});

describe("manifest: IAM role, log group and S3 bucket names", () => {
  it("a 57-character function is valid: its role gets an explicit name within IAM's 64", () => {
    assert.deepEqual(errorsOf(one("r".repeat(57)), { namePrefix: "dev-" }), []);
    assert.deepEqual(errorsOf(one("r".repeat(64))), []);
  });

  it("the data bucket's autoname: a 38-character prefix fits S3's 63, 39 does not, and '_' is refused", () => {
    const bucketUser = one("a1", "    policies: [access_s3]\n");
    assert.deepEqual(errorsOf(bucketUser, { namePrefix: "p".repeat(37) + "-" }), []);
    assert.deepEqual(errorsOf(bucketUser, { namePrefix: "p".repeat(38) + "-" }), [
      `4:16: the data bucket this uses is named "${"p".repeat(38)}-lambda-bench-data-<7 hex>" under namePrefix "${"p".repeat(38)}-": 64 characters; S3 allows 3 to 63; a namePrefix may have at most 38 characters`,
    ]);
    assert.deepEqual(errorsOf(bucketUser, { namePrefix: "dev_" }), [
      `4:16: the data bucket this uses is named "dev_lambda-bench-data-<7 hex>" under namePrefix "dev_": S3 allows only lower-case letters, digits, '.' and '-'`,
    ]);
  });

  it("the bucket error points at the first use: an env ${bucket} when no bare access_s3", () => {
    assert.deepEqual(errorsOf(one("a1", "    env: { DATA: \"${bucket}\" }\n"), { namePrefix: "dev_" }), [
      `4:18: the data bucket this uses is named "dev_lambda-bench-data-<7 hex>" under namePrefix "dev_": S3 allows only lower-case letters, digits, '.' and '-'`,
    ]);
    assert.deepEqual(errorsOf(one("a1"), { namePrefix: "dev_" }), [], "no bucket, no bucket rule");
  });

  it("the log group /aws/lambda/<deployed name> fits 512 for any valid function", () => {
    assert.equal(validOf(one("l".repeat(64))).benchmarks[0].deployedName.length, 64);
  });
});

describe("manifest: a role's inline policy size (IAM 10,240)", () => {
  const fns = (n: number) => Array.from({ length: n }, (_, i) => `fn-${String(i).padStart(3, "0")}`);
  const scoped = (n: number) => yaml`
    benchmarks:
      - function: caller
        build: {context: app}
        policies:
          - invoke_function: [${fns(n).join(", ")}]
  ` + fns(n).map((f) => `  - function: ${f}\n    build: {context: app}\n`).join("");

  it("sizes the document at its largest and reports the benchmark's policies", () => {
    const errs = (n: number) => errorsOf(scoped(n)).filter((e) => e.includes("inline policy"));
    assert.deepEqual(errs(60), []);
    const [err] = errs(80);
    assert.match(err, /^5:7: the inline policy of "caller" can reach 11,488 characters; IAM allows 10,240 for a role's inline policies: scope fewer functions or buckets, or grant bare invoke_function/);
  });

  it("bare invoke_function stays small at any size of stack", () => {
    const text = `benchmarks:\n${fns(200).map((f) => `  - function: ${f}\n    build: {context: app}\n    policies: [invoke_function]\n`).join("")}`;
    assert.deepEqual(errorsOf(text), []);
  });
});
