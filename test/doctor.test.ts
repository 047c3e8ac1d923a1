// `lambda-bench doctor` with fake pulumi and docker executables on PATH, and moto for STS (the
// account's limits: doctor-account.test.ts, on the stand-in).
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { doctor, formatCheck, type CheckResult } from "../src/doctor/checks";
import { startMoto, TEST_CREDENTIALS, type Moto } from "../src/standin/moto";
import { manifestFile, yaml } from "./fixtures";
import { spawnCli } from "./run-cli";

/** A folder of fake tools: each answers the arguments doctor sends with canned text. */
function fakeBin(tools: Record<string, Record<string, string | { exit: number; err: string }>>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lambda-bench-bin-"));
  for (const [tool, answers] of Object.entries(tools)) {
    const cases = Object.entries(answers).map(([args, a]) => typeof a === "string"
      ? `  "${args}") printf '%s\\n' '${a}' ;;`
      : `  "${args}") printf '%s\\n' '${a.err}' >&2; exit ${a.exit} ;;`);
    fs.writeFileSync(path.join(dir, tool), `#!/bin/sh\ncase "$*" in\n${cases.join("\n")}\n  *) echo "unexpected: $*" >&2; exit 99 ;;\nesac\n`, { mode: 0o755 });
  }
  return dir;
}

const DOCKER_VERSION = "version --format {{.Server.Version}} {{.Server.Os}}/{{.Server.Arch}}";
const healthy = (platforms: string) => ({
  pulumi: { version: "v3.270.0", "config get aws:region": "eu-west-1" },
  docker: {
    [DOCKER_VERSION]: "28.1.1 linux/amd64",
    "buildx version": "github.com/docker/buildx v0.23.0 28c90ea",
    "buildx inspect": `Name:   default\nDriver: docker\nPlatforms: ${platforms}`,
  },
});

describe("doctor: one line per check, with the fix for each failure", function () {
  let moto: Moto;
  const saved = { ...process.env };
  before(async () => {
    moto = await startMoto();
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey });
    delete process.env.AWS_PROFILE;
  });
  after(async () => {
    await moto?.stop();
    process.env = saved;
  });
  const env = (bin: string): NodeJS.ProcessEnv => ({ PATH: `${bin}:/usr/bin:/bin` });
  const lines = (rs: CheckResult[]) => rs.map(formatCheck);

  it("all good: versions, the foreign platform buildx can build, the caller and the stack's region", async () => {
    const bin = fakeBin(healthy("linux/amd64, linux/arm64*, linux/386"));
    const rs = await doctor({ env: env(bin), platforms: ["linux/arm64", "linux/amd64"], endpoint: moto.endpoint });
    assert.deepEqual(lines(rs), [
      "ok   pulumi: v3.270.0",
      "ok   docker: daemon 28.1.1 on linux/amd64",
      "ok   docker buildx: github.com/docker/buildx v0.23.0 28c90ea",
      "ok   binfmt: linux/arm64 builds on this linux/amd64 (buildx lists it)",
      "ok   AWS credentials: arn:aws:sts::123456789012:user/moto (account 123456789012)",
      "ok   region: eu-west-1 (from the stack's aws:region)",
      `ok   account: not read (${moto.endpoint} does not serve GetAccountSettings)`,
    ]);
  });

  it("an arm64 manifest on an amd64 daemon without binfmt: the fix installs the handler", async () => {
    const bin = fakeBin(healthy("linux/amd64, linux/386"));
    const rs = await doctor({ env: env(bin), platforms: ["linux/arm64"], endpoint: moto.endpoint });
    assert.deepEqual(lines(rs)[3], [
      "FAIL binfmt: linux/arm64 cannot build on this linux/amd64: buildx does not list it",
      "     fix: docker run --privileged --rm tonistiigi/binfmt --install arm64",
    ].join("\n"));
  });

  it("no pulumi, no daemon: each says how to fix it, and buildx and binfmt wait for the daemon", async () => {
    const bin = fakeBin({ docker: { [DOCKER_VERSION]: { exit: 1, err: "Cannot connect to the Docker daemon at unix:///var/run/docker.sock." } } });
    const rs = await doctor({ env: { ...env(bin), AWS_REGION: "us-west-2" }, platforms: ["linux/arm64"], endpoint: moto.endpoint, projectDir: os.tmpdir() });
    assert.deepEqual(lines(rs).slice(0, 3), [
      "FAIL pulumi: not found on PATH\n     fix: install the Pulumi CLI: curl -fsSL https://get.pulumi.com | sh",
      "FAIL docker: no daemon answers: Cannot connect to the Docker daemon at unix:///var/run/docker.sock.\n     fix: start the Docker daemon (sudo systemctl start docker, or open Docker Desktop), and check that your user may use it (the docker group)",
      "FAIL docker buildx: not checked without a Docker daemon",
    ]);
    assert.equal(lines(rs)[4], "ok   region: us-west-2 (from AWS_REGION)");
  });

  it("the command: exit 1 with a one-line summary when a check fails; credentials refused by STS are a failure", async () => {
    const bin = fakeBin(healthy("linux/amd64"));
    const file = manifestFile(yaml`
      benchmarks:
        - function: a1
          build: {context: app}
          platform: linux/arm64
    `);
    const { exited } = spawnCli(["doctor", file, "--endpoint", "http://127.0.0.1:9"], {
      env: { PATH: `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: os.tmpdir(), AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "x" },
    });
    const r = await exited;
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /^FAIL binfmt: linux\/arm64 cannot build on this linux\/amd64/m);
    assert.match(r.out, /^FAIL AWS credentials: sts:GetCallerIdentity failed: .*\n {5}fix: configure credentials/m);
    assert.match(r.out, /^ok   region: eu-west-1 \(from the stack's aws:region\)$/m);
    assert.equal(r.err, "lambda-bench: 2 checks failed: fix them as shown, then run doctor again\n");
  });
});
