// `lambda-bench doctor`: what `pulumi up` needs on this machine, checked one thing at a time, each
// with how to fix it. Tools are run from PATH (tests put fakes there); the AWS check asks STS.
import { callerIdentity } from "../aws/sts";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { applyCredentialAliases } from "../aws/lambda";
import type { Platform } from "../manifest/schema";
import { resolveRegion } from "./region";
import { run } from "./run-tool";
import { checkAccount } from "./account";
import type { CheckResult, DoctorContext } from "./context";

export type { CheckResult, DoctorContext } from "./context";

const firstLine = (s: string) => s.split("\n")[0] ?? "";

export async function checkPulumi(ctx: DoctorContext): Promise<CheckResult> {
  const r = await run("pulumi", ["version"], ctx.env);
  if (r.missing) return { ok: false, line: "pulumi: not found on PATH", fix: "install the Pulumi CLI: curl -fsSL https://get.pulumi.com | sh" };
  if (r.code !== 0) return { ok: false, line: `pulumi: \`pulumi version\` failed: ${firstLine(r.stderr || r.stdout)}`, fix: "reinstall the Pulumi CLI: curl -fsSL https://get.pulumi.com | sh" };
  return { ok: true, line: `pulumi: ${firstLine(r.stdout)}` };
}

/** The daemon's architecture as a buildx platform, from `docker version`. */
export async function checkDocker(ctx: DoctorContext): Promise<{ result: CheckResult; hostPlatform: Platform | undefined }> {
  const r = await run("docker", ["version", "--format", "{{.Server.Version}} {{.Server.Os}}/{{.Server.Arch}}"], ctx.env);
  if (r.missing) return { hostPlatform: undefined, result: { ok: false, line: "docker: not found on PATH", fix: "install Docker Engine or Docker Desktop: https://docs.docker.com/get-docker/" } };
  if (r.code !== 0 || !r.stdout) {
    return { hostPlatform: undefined, result: { ok: false, line: `docker: no daemon answers: ${firstLine(r.stderr) || "no server version"}`, fix: "start the Docker daemon (sudo systemctl start docker, or open Docker Desktop), and check that your user may use it (the docker group)" } };
  }
  const [version, platform] = r.stdout.split(" ");
  const hostPlatform = platform?.replace("x86_64", "amd64").replace("aarch64", "arm64") as Platform | undefined;
  return { hostPlatform, result: { ok: true, line: `docker: daemon ${version} on ${hostPlatform}` } };
}

export async function checkBuildx(ctx: DoctorContext): Promise<CheckResult> {
  const r = await run("docker", ["buildx", "version"], ctx.env);
  if (r.code !== 0) return { ok: false, line: "docker buildx: not available", fix: "install the buildx plugin: https://docs.docker.com/build/install-buildx/ (the docker-buildx-plugin package)" };
  return { ok: true, line: `docker buildx: ${firstLine(r.stdout)}` };
}

/**
 * A platform other than the daemon's builds only through QEMU binfmt handlers; buildx lists the
 * platforms its builder can build, emulated ones included.
 */
export async function checkBinfmt(ctx: DoctorContext, hostPlatform: Platform | undefined): Promise<CheckResult[]> {
  const foreign = [...new Set(ctx.platforms ?? [])].filter((p) => p !== hostPlatform).sort();
  if (ctx.platforms === undefined) return [{ ok: true, line: "binfmt: no manifest read, so no platform to check" }];
  if (foreign.length === 0) return [{ ok: true, line: `binfmt: not needed, the manifest builds only ${hostPlatform ?? "the host's platform"}` }];
  const r = await run("docker", ["buildx", "inspect"], ctx.env);
  const listed = /^Platforms:\s*(.*)$/m.exec(r.stdout)?.[1].split(",").map((p) => p.trim().replace(/\*$/, "")) ?? [];
  return foreign.map((p) => listed.includes(p)
    ? { ok: true, line: `binfmt: ${p} builds on this ${hostPlatform ?? "host"} (buildx lists it)` }
    : {
      ok: false,
      line: `binfmt: ${p} cannot build on this ${hostPlatform ?? "host"}: buildx does not list it${r.code !== 0 ? ` (\`docker buildx inspect\` failed)` : ""}`,
      fix: `docker run --privileged --rm tonistiigi/binfmt --install ${p.split("/")[1]}`,
    });
}

export async function checkAws(ctx: DoctorContext): Promise<CheckResult[]> {
  const { region, from } = await resolveRegion(ctx);
  const regionLine: CheckResult = region
    ? { ok: true, line: `region: ${region} (from ${from})` }
    : { ok: false, line: `region: none set${from ? ` (${from})` : ""}`, fix: "pulumi config set aws:region <region> (and export AWS_REGION=<region> for the CLI)" };
  applyCredentialAliases(ctx.env);
  try {
    const id = await callerIdentity({
      region: region ?? "us-east-1", endpoint: ctx.endpoint, credentials: defaultProvider({ profile: ctx.profile }),
    });
    const credentials: CheckResult = { ok: true, line: `AWS credentials: ${id.arn} (account ${id.account})` };
    return [credentials, regionLine, ...(await checkAccount(ctx, region ?? "us-east-1"))];
  } catch (err) {
    const e = err as Error;
    return [{
      ok: false,
      line: `AWS credentials: sts:GetCallerIdentity failed: ${firstLine(e.message || e.name)}`,
      fix: "configure credentials: aws configure (or aws sso login), AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
    }, regionLine];
  }
}

/** Every check, in the order a deploy meets them. */
export async function doctor(ctx: DoctorContext): Promise<CheckResult[]> {
  const pulumi = await checkPulumi(ctx);
  const { result: docker, hostPlatform } = await checkDocker(ctx);
  const buildx = docker.ok ? await checkBuildx(ctx) : { ok: false, line: "docker buildx: not checked without a Docker daemon" };
  const binfmt = docker.ok && buildx.ok ? await checkBinfmt(ctx, hostPlatform) : [];
  return [pulumi, docker, buildx, ...binfmt, ...(await checkAws(ctx))];
}

export function formatCheck(c: CheckResult): string {
  return `${c.ok ? "ok  " : "FAIL"} ${c.line}${c.fix ? `\n     fix: ${c.fix}` : ""}`;
}
