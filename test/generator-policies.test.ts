// The generator's IAM documents, judged by a small evaluator of this test's own (IAM's rules for
// Allow statements: action and resource globs, StringEquals conditions, default deny), so each
// assertion says what a request may do, independent of how the builder writes the statements.
import { strict as assert } from "node:assert";
import { driverPolicy, stateMachinePolicy, statesTrustPolicy } from "../src/manifest/generator-policies";

interface Doc { Statement: { Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, string>> }[] }

/** IAM's wildcard match: `*` any run of characters (colons and slashes included), `?` one. */
function glob(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split("").map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("")}$`);
  return re.test(value);
}

/** Whether `doc` allows `action` on `resource` for a request with these condition keys. */
function allows(doc: Doc, action: string, resource: string, context: Record<string, string> = {}): boolean {
  return doc.Statement.some((s) => s.Effect === "Allow"
    && [s.Action].flat().some((a) => glob(a.toLowerCase(), action.toLowerCase()))
    && [s.Resource].flat().some((r) => glob(r, resource))
    && Object.entries(s.Condition ?? {}).every(([op, kv]) => {
      assert.equal(op, "StringEquals", "this evaluator knows StringEquals only");
      return Object.entries(kv).every(([k, v]) => context[k] === v);
    }));
}

const CTX = { partition: "aws", region: "eu-west-1", accountId: "123456789012", bucket: "lambda-bench-data-4de58cd" };
const STACK = "lambda-bench/dev";
const TAG = "aws:ResourceTag/lambda-bench:stack";
const fn = (name: string) => `arn:aws:lambda:eu-west-1:123456789012:function:${name}`;
const obj = (key: string, bucket = CTX.bucket) => `arn:aws:s3:::${bucket}/${key}`;

describe("generator policies: the driver's", () => {
  const doc = driverPolicy({ ...CTX, stackTag: { key: "lambda-bench:stack", value: STACK } }) as Doc;

  it("invokes and reads the configuration of this stack's functions only, qualified or not, by their tag", () => {
    for (const action of ["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"]) {
      assert.ok(allows(doc, action, fn("hello"), { [TAG]: STACK }), action);
      assert.ok(allows(doc, action, `${fn("hello")}:live`, { [TAG]: STACK }), `${action} on an alias`);
      assert.ok(!allows(doc, action, fn("hello"), { [TAG]: "lambda-bench/prod" }), `${action}: another stack's function`);
      assert.ok(!allows(doc, action, fn("hello")), `${action}: an untagged function`);
      assert.ok(!allows(doc, action, "arn:aws:lambda:us-east-1:123456789012:function:hello", { [TAG]: STACK }), `${action}: another region`);
    }
    assert.ok(!allows(doc, "lambda:UpdateFunctionConfiguration", fn("hello"), { [TAG]: STACK }));
    assert.ok(!allows(doc, "lambda:InvokeFunctionUrl", fn("hello"), { [TAG]: STACK }), "names, never URLs");
  });

  it("reads and writes objects under runs/ of the stack's bucket, and nothing else", () => {
    assert.ok(allows(doc, "s3:GetObject", obj("runs/r1/shard-0/spec.json")));
    assert.ok(allows(doc, "s3:PutObject", obj("runs/r1/shard-0/w0-p0.jsonl")));
    assert.ok(!allows(doc, "s3:PutObject", obj("data/input.json")), "another prefix of the bucket");
    assert.ok(!allows(doc, "s3:PutObject", obj("runsx/a")), "a prefix that only begins like runs/");
    assert.ok(!allows(doc, "s3:PutObject", obj("runs/a", "someone-elses")), "another bucket");
    assert.ok(!allows(doc, "s3:DeleteObject", obj("runs/r1/shard-0/spec.json")));
    assert.ok(!allows(doc, "s3:ListBucket", `arn:aws:s3:::${CTX.bucket}`));
  });

  it("no statement is on \"*\"", () => {
    for (const s of doc.Statement) for (const r of [s.Resource].flat()) assert.notEqual(r, "*");
  });
});

describe("generator policies: the state machine's", () => {
  const doc = stateMachinePolicy({ ...CTX, driverArn: fn("dev-lambda-bench-driver"), stateMachineName: "dev-lambda-bench-generator" }) as Doc;
  const machine = "arn:aws:states:eu-west-1:123456789012:stateMachine:dev-lambda-bench-generator";
  const execution = (m: string, id: string) => `arn:aws:states:eu-west-1:123456789012:execution:${m}/${id}`;

  it("invokes the driver (and its versions) and no other function", () => {
    assert.ok(allows(doc, "lambda:InvokeFunction", fn("dev-lambda-bench-driver")));
    assert.ok(allows(doc, "lambda:InvokeFunction", `${fn("dev-lambda-bench-driver")}:1`));
    assert.ok(!allows(doc, "lambda:InvokeFunction", fn("hello")));
    assert.ok(!allows(doc, "lambda:InvokeFunction", fn("dev-lambda-bench-driver-2")));
  });

  it("reads the run's items under runs/ only, and writes nothing", () => {
    assert.ok(allows(doc, "s3:GetObject", obj("runs/r1/items.json")));
    assert.ok(!allows(doc, "s3:GetObject", obj("secrets.json")));
    assert.ok(!allows(doc, "s3:PutObject", obj("runs/r1/items.json")));
  });

  it("runs its own Distributed Map children: start on itself, describe and stop its executions only", () => {
    assert.ok(allows(doc, "states:StartExecution", machine));
    assert.ok(!allows(doc, "states:StartExecution", "arn:aws:states:eu-west-1:123456789012:stateMachine:other"));
    for (const action of ["states:DescribeExecution", "states:StopExecution"]) {
      assert.ok(allows(doc, action, execution("dev-lambda-bench-generator", "shards:0a1b")), action);
      assert.ok(!allows(doc, action, execution("other", "x")), `${action}: another machine's execution`);
    }
  });
});

describe("generator policies: the state machine's trust", () => {
  it("Step Functions only, acting for this account only", () => {
    const t = statesTrustPolicy("123456789012");
    assert.equal(t.Statement.length, 1);
    const [s] = t.Statement;
    assert.deepEqual(s.Principal, { Service: "states.amazonaws.com" });
    assert.equal(s.Action, "sts:AssumeRole");
    assert.deepEqual(s.Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
  });
});
