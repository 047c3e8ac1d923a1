// The docker-build Image of one distinct build, owned by the stack: benchmarks with the identical
// build (context, dockerfile, args, target, platform) share it, and it pushes to each one's
// repository and tag.
import * as dockerbuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { shortHash } from "../src/manifest/names";
import type { Benchmark as BenchmarkSpec } from "../src/manifest/schema";
import { formerChildUrn } from "./repository";

/** ECR credentials for the account's registry: one token serves every repository in it. */
export interface RegistryAuth {
  userName: pulumi.Input<string>;
  /** A secret Output, so the token never shows in plain text in the state or a preview. */
  password: pulumi.Output<string>;
}

export interface ImageArgs {
  /** The benchmarks of this build, in name order: the first one's repository holds the cache. */
  members: readonly BenchmarkSpec[];
  repositoryUrl: (spec: BenchmarkSpec) => pulumi.Output<string>;
  registryAuth: RegistryAuth;
  /** `lambda-bench:buildOnPreview`; undefined leaves docker-build's default. */
  buildOnPreview: boolean | undefined;
}

/** The build's identity as the program sees it: paths relative to the program's folder. */
export function buildInputs(b: BenchmarkSpec) {
  const args = Object.fromEntries(Object.entries(b.build.args).sort(([a], [c]) => a.localeCompare(c)));
  return { context: relativeToProgram(b.build.context), dockerfile: relativeToProgram(b.build.dockerfile), args, target: b.build.target ?? null, platform: b.platform };
}

/**
 * The Image's logical name comes from the build itself (`<context folder>-<hash of the build>`),
 * so adding, renaming or removing a benchmark never replaces it. It is also `retainOnDelete`:
 * docker-build's delete removes `repo@digest` for every tag it pushed, and after a cached rebuild
 * that is the very digest the functions run. The repository's `forceDelete` removes the images on
 * `pulumi destroy`, and its lifecycle policy expires the untagged ones a replaced build leaves.
 */
export function imageName(b: BenchmarkSpec): string {
  const inputs = buildInputs(b);
  return `${path.basename(path.resolve(inputs.context)).toLowerCase()}-${shortHash(JSON.stringify(inputs))}`;
}

/**
 * One platform and the embedded (non-exec) buildx keep the push a single-platform manifest without
 * an attestation index, the only kind Lambda accepts.
 */
export function buildImage({ members, repositoryUrl, registryAuth, buildOnPreview }: ImageArgs): dockerbuild.Image {
  const [first] = members;
  const url = repositoryUrl(first);
  const { context, dockerfile } = buildInputs(first);
  // Per build, so builds sharing a repository do not overwrite each other's cache.
  const cacheRef = url.apply((u) => `${u}:buildcache-${first.tag}`);
  const tags = members.map((m) => repositoryUrl(m).apply((u) => `${u}:${m.tag}`));
  return new dockerbuild.Image(imageName(first), {
    context: { location: context },
    dockerfile: { location: dockerfile },
    ...(Object.keys(first.build.args).length > 0 ? { buildArgs: first.build.args } : {}),
    ...(first.build.target !== undefined ? { target: first.build.target } : {}),
    platforms: [first.platform as dockerbuild.Platform],
    push: true,
    tags,
    registries: [{ address: url, username: registryAuth.userName, password: registryAuth.password }],
    // ECR's registry cache needs an OCI image manifest, not a manifest list.
    cacheFrom: [{ registry: { ref: cacheRef } }],
    cacheTo: [{ registry: { ref: cacheRef, imageManifest: true, ociMediaTypes: true } }],
    ...(buildOnPreview !== undefined ? { buildOnPreview } : {}),
  }, {
    retainOnDelete: true,
    // Earlier versions named the Image after its builder, a child of the builder's component.
    aliases: [formerChildUrn(first.function, "docker-build:index:Image")],
  });
}

function relativeToProgram(p: string): string {
  return path.relative(process.cwd(), p) || ".";
}
