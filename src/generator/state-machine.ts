// The Lambda generator's state machine (issue 28, DESIGN 5a), as Amazon States Language: a
// DISTRIBUTED Map reads the run's items (objects.ts MapItem, a JSON array at runs/<id>/items.json
// in the stack's bucket, named by the execution's input `itemsKey`) and runs one STANDARD child per
// shard. A child waits until its window's wake time (a Standard Wait is free), invokes the driver
// with the item, and loops on the item the driver answers until it says `done`. The bucket and the
// driver are fixed when the stack is deployed; an execution's input only names the items object.
// One definition, used by the Pulumi program (components/generator.ts) and by the test that runs
// it on moto's ASL interpreter. No ItemBatcher, ResultWriter or JSONL ItemReader: results are the
// objects the drivers write (objects.ts), read by the CLI, never the Map's output.
import { MAX_SHARDS } from "../workload/segments";

export interface StateMachineFacts {
  /** The driver function's ARN (unqualified). */
  driverArn: string;
  /** The stack's bucket. */
  bucket: string;
}

/** Lambda errors a retry can cure (AWS's recommended set for lambda:invoke tasks). */
export const RETRIED_ERRORS = [
  "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException",
];

/** The execution input: which items object to read. */
export interface ExecutionInput {
  itemsKey: string;
}

export const MAP_STATE = "Shards";

export function stateMachineDefinition(f: StateMachineFacts): object {
  return {
    Comment: "lambda-bench generator: one Standard child per shard; each waits for its window, runs the driver, and loops until done",
    StartAt: MAP_STATE,
    States: {
      [MAP_STATE]: {
        Type: "Map",
        Label: "shards",
        ItemReader: {
          Resource: "arn:aws:states:::s3:getObject",
          ReaderConfig: { InputType: "JSON" },
          Parameters: { Bucket: f.bucket, "Key.$": "$.itemsKey" },
        },
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "Wait",
          States: {
            Wait: { Type: "Wait", TimestampPath: "$.wakeAt", Next: "Drive" },
            Drive: {
              Type: "Task",
              Resource: "arn:aws:states:::lambda:invoke",
              Parameters: { FunctionName: f.driverArn, "Payload.$": "$" },
              OutputPath: "$.Payload",
              Retry: [{ ErrorEquals: RETRIED_ERRORS, IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }],
              Next: "More",
            },
            More: { Type: "Choice", Choices: [{ Variable: "$.done", BooleanEquals: false, Next: "Wait" }], Default: "Done" },
            Done: { Type: "Succeed" },
          },
        },
        // Every shard at once (Distributed Map's most), and a failed shard never stops the others:
        // the CLI reads which shards failed from DescribeMapRun and keeps what every shard wrote.
        MaxConcurrency: MAX_SHARDS,
        ToleratedFailureCount: MAX_SHARDS,
        End: true,
      },
    },
  };
}
