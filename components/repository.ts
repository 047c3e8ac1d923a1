// The stack's ECR repositories: one per ECR name, owned by the stack rather than by one benchmark,
// because benchmarks that push distinct tags share it (vSwarm's map-reduce: driver, mapper and
// reducer in one repository). Each has a lifecycle policy so rebuilds do not pile up untagged images.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export const BENCHMARK_TYPE = "lambda-bench:index:Benchmark";

/** Untagged images (left by every rebuild) expire after 7 days, long after any function moved off them; tagged images stay. */
export const LIFECYCLE_POLICY = {
  rules: [{
    rulePriority: 1,
    description: "expire untagged images 7 days after their push",
    selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
    action: { type: "expire" },
  }],
};

/**
 * The repository named `repo` in the manifest (`deployedRepo` in ECR), pushed to by `members`
 * (function names). Until this version each repository was the child of its one benchmark's
 * component, logical name the function: the aliases carry those URNs over, so an existing stack
 * keeps its repository, and its images, instead of replacing it.
 */
export function stackRepository(repo: string, deployedRepo: string, members: readonly string[]): aws.ecr.Repository {
  const repository = new aws.ecr.Repository(repo, {
    name: deployedRepo,
    // `pulumi destroy` must remove a repository that still holds images.
    forceDelete: true,
    imageScanningConfiguration: { scanOnPush: true },
    // Re-pushing the same tag on every build needs a mutable repository.
    imageTagMutability: "MUTABLE",
  }, { aliases: members.map((fn) => formerChildUrn(fn, "aws:ecr/repository:Repository")) });
  new aws.ecr.LifecyclePolicy(repo, { repository: repository.name, policy: JSON.stringify(LIFECYCLE_POLICY) });
  return repository;
}

/**
 * The URN a resource of type `type` and logical name `name` had as the child of a benchmark's
 * component in earlier versions (components are top-level, so the type chain is the component's
 * and the child's; repositories and images were named after their benchmark's function). A whole
 * URN, not an alias spec: the SDK turns a spec into a URN through a chain of about ten Outputs:
 * 1,000 aliases made 88,000 promises, 4% of a 500-benchmark plan's.
 */
export function formerChildUrn(name: string, type: string): string {
  return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${BENCHMARK_TYPE}$${type}::${name}`;
}
