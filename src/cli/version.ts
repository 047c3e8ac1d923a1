// `lambda-bench --version`: the package's version, and the git commit of the checkout it runs
// from when there is one (read from .git's files: no git process, no cost when not asked).
import * as fs from "node:fs";
import * as path from "node:path";
import { PACKAGE_ROOT, packageJson } from "../package-info";

export function versionText(root = PACKAGE_ROOT): string {
  const { name, version } = packageJson(root);
  const commit = gitCommit(root);
  return `${name} ${version}${commit ? ` (git ${commit.slice(0, 12)})` : ""}`;
}

const read = (file: string): string | undefined => {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    return undefined;
  }
};

/** HEAD's commit of the checkout at `root` (a clone or a worktree), or undefined. */
export function gitCommit(root: string): string | undefined {
  const dotGit = path.join(root, ".git");
  let gitDir = dotGit;
  const file = fs.existsSync(dotGit) && fs.statSync(dotGit).isFile() ? read(dotGit) : undefined;
  if (file?.startsWith("gitdir: ")) gitDir = path.resolve(root, file.slice("gitdir: ".length));
  const head = read(path.join(gitDir, "HEAD"));
  if (!head) return undefined;
  if (/^[0-9a-f]{40}$/.test(head)) return head;
  const ref = /^ref: (.+)$/.exec(head)?.[1];
  if (!ref) return undefined;
  const common = read(path.join(gitDir, "commondir"));
  const commonDir = common ? path.resolve(gitDir, common) : gitDir;
  const loose = read(path.join(gitDir, ref)) ?? read(path.join(commonDir, ref));
  if (loose && /^[0-9a-f]{40}$/.test(loose)) return loose;
  const packed = read(path.join(commonDir, "packed-refs"))?.split("\n").find((l) => l.endsWith(` ${ref}`));
  return packed?.slice(0, 40);
}
