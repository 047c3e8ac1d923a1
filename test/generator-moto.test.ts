// The Lambda generator's state machine (src/generator/state-machine.ts) executed on moto's Step
// Functions interpreter (issue 28, DESIGN 6): created as the stack creates it, it reads the run's
// items from moto's S3 (ItemReader), runs one child per shard, each child Waits for its window's
// wake time, invokes the driver (moto's lambda-simple: the answers queued here stand for the
// driver's), loops over a second window on the driver's answer, and ends when the driver says done.
// What moto cannot show (only real AWS can): Wait's accuracy within 2 s (moto truncates the
// timestamp to whole seconds), the Map's and the children's start latency, 10,000 children at once,
// the Retry of real Lambda errors, IAM, and ToleratedFailureCount (moto does not enforce it).
import { strict as assert } from "node:assert";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { S3Client } from "@aws-sdk/client-s3";
import { DescribeExecutionCommand, DescribeMapRunCommand, ListMapRunsCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { startMoto, type Moto } from "../src/standin/moto";
import { firstItems, itemsKey, nextItem, type MapItem } from "../src/generator/objects";
import { deployGenerator, motoConfig, putText, queueDriverAnswers, resetMoto } from "./moto-generator";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe("the generator's state machine on moto's Step Functions", function () {
  this.timeout(60_000);
  let moto: Moto;
  before(async () => { moto = await startMoto(); });
  after(() => moto?.stop());

  it("reads the items from S3, runs a child a shard through 2 windows (Wait, Drive, More), and succeeds", async () => {
    await resetMoto(moto.endpoint);
    const { stateMachineArn, driverArn } = await deployGenerator(moto.endpoint);
    const cfg = motoConfig(moto.endpoint);
    const [s3, sfn, lambda] = [new S3Client(cfg), new SFNClient(cfg), new LambdaClient(cfg)];
    try {
      // 3 shards, 2 windows of 3 s: window 0 wakes 2 s from now, window 1 at 5 s.
      const startAtMs = Date.now() + 32_000;
      const items = firstItems("motorun", 3, startAtMs, 6000, 3000);
      assert.equal(items[0].windows, 2);
      await putText(s3, itemsKey("motorun"), JSON.stringify(items));
      // The driver's answers, in the order the Drive tasks run: every child's window 0 (answered
      // with its next item, window 1), then every child's window 1 (answered done).
      const second = items.map((i) => nextItem(i, startAtMs));
      const done = second.map((i) => nextItem(i, startAtMs));
      assert.ok(second.every((i) => !i.done) && done.every((i) => i.done));
      await queueDriverAnswers(moto.endpoint, [...second, ...done]);
      const ex = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: "motorun", input: JSON.stringify({ itemsKey: itemsKey("motorun") }) }));
      let status = "RUNNING";
      let described;
      for (let i = 0; i < 40 && status === "RUNNING"; i++) {
        await sleep(500);
        described = await sfn.send(new DescribeExecutionCommand({ executionArn: ex.executionArn }));
        status = described.status!;
      }
      assert.equal(status, "SUCCEEDED", JSON.stringify(described));
      // The Map read the 3 items from S3 and each child succeeded.
      const runs = await sfn.send(new ListMapRunsCommand({ executionArn: ex.executionArn }));
      assert.equal(runs.mapRuns?.length, 1);
      const run = await sfn.send(new DescribeMapRunCommand({ mapRunArn: runs.mapRuns![0].mapRunArn }));
      assert.deepEqual({ total: run.itemCounts?.total, succeeded: run.itemCounts?.succeeded, failed: run.itemCounts?.failed }, { total: 3, succeeded: 3, failed: 0 });
      assert.equal(run.maxConcurrency, 10_000);
      // Each child's output is the driver's last answer: window 1, done. A child that had stopped
      // after window 0 would end with done false and never reach the Choice's Default.
      const output = JSON.parse(described!.output!) as MapItem[];
      assert.equal(output.length, 3);
      assert.ok(output.every((o) => o.done && o.window === 1), described!.output);
      assert.deepEqual(output.map((o) => o.shard).sort(), [0, 1, 2]);
      // The children waited for window 1's wake time, 5 s after they began: moto drops the
      // timestamp's fraction and waits whole seconds (int), so it may wake up to 2 s early.
      const wake1 = Date.parse(second[0].wakeAt);
      assert.ok(described!.stopDate!.getTime() >= wake1 - 2000, `ended ${described!.stopDate!.toISOString()}, before window 1's wake ${second[0].wakeAt}`);
      // Exactly 6 driver invocations: the queue is empty now (a call echoes its payload), and a
      // 7th would have echoed done: false and looped on, never succeeding.
      const probe = await lambda.send(new InvokeCommand({ FunctionName: driverArn, Payload: Buffer.from('{"probe":1}') }));
      assert.deepEqual(JSON.parse(Buffer.from(probe.Payload!).toString()), { probe: 1 });
    } finally {
      for (const c of [s3, sfn, lambda]) c.destroy();
    }
  });
});
