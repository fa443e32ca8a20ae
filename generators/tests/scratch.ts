// Scratch copies of the repository for the generator's integration tests: the real generators
// and charts (symlinked, or a copy of the charts when a test breaks one), copies of the cluster
// models, and optionally of the committed generated tree. The CLI runs on them with --root.
import { spawnSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";

export const REPO = join(import.meta.dirname, "..", "..");
const CLI = join(REPO, "generators", "cli.ts");
export const ENVIRONMENTS = ["dev", "staging", "prod"];

export interface ScratchOptions {
  /** Copy the committed clusters/<env>/ trees and tfvars too (default: only the models). */
  withTree?: boolean;
  /** Copy the charts instead of linking them, so a test may break one. */
  copyCharts?: boolean;
}

export async function scratchRepo(options: ScratchOptions = {}): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "generate-test-"));
  await writeFile(join(root, "package.json"), '{ "type": "module" }\n');
  await symlink(join(REPO, "generators"), join(root, "generators"));
  if (options.copyCharts) await cp(join(REPO, "apps"), join(root, "apps"), { recursive: true });
  else await linkCharts(root);
  // generate writes each chart's ci/<env>-values.yaml: the scratch copy has ci/ folders of its own
  // (never a link into the repository), holding the committed files only when the tree is copied.
  for (const chart of await readdir(join(REPO, "apps"))) {
    const ci = join(root, "apps", chart, "ci");
    await rm(ci, { recursive: true, force: true });
    await mkdir(ci, { recursive: true });
    if (options.withTree)
      for (const environment of ENVIRONMENTS) {
        const file = `${environment}-values.yaml`;
        await cp(join(REPO, "apps", chart, "ci", file), join(ci, file)).catch(() => undefined);
      }
  }
  for (const environment of ENVIRONMENTS) {
    const from = join(REPO, "clusters", environment);
    const to = join(root, "clusters", environment);
    await mkdir(to, { recursive: true });
    if (options.withTree) {
      await cp(from, to, { recursive: true });
      const tfvars = join("terraform", "environments", environment, "cluster.auto.tfvars.json");
      await mkdir(dirname(join(root, tfvars)), { recursive: true });
      await cp(join(REPO, tfvars), join(root, tfvars));
    } else {
      await cp(join(from, "cluster.ts"), join(to, "cluster.ts"));
    }
  }
  return root;
}

/** Each chart's files linked one by one, so the scratch copy's ci/ folders can be its own. */
async function linkCharts(root: string): Promise<void> {
  for (const chart of await readdir(join(REPO, "apps"))) {
    await mkdir(join(root, "apps", chart), { recursive: true });
    for (const entry of await readdir(join(REPO, "apps", chart))) {
      if (entry !== "ci") await symlink(join(REPO, "apps", chart, entry), join(root, "apps", chart, entry));
    }
  }
}

/** git in a scratch repository, as a CI identity; throws with git's own words when it fails. */
export function gitIn(root: string, ...args: string[]): string {
  const run = spawnSync("git", ["-c", "user.email=ci@example.test", "-c", "user.name=CI", ...args], {
    cwd: root,
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`git ${args.join(" ")}: ${run.stderr}`);
  return run.stdout;
}

export async function removeScratch(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true });
}

/** Every file under clusters/, terraform/ and the charts' ci/ (path → content): what `generate` may touch. */
export async function snapshot(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files.set(relative(root, path), await readFile(path, "utf8"));
    }
  }
  await walk(join(root, "clusters"));
  await walk(join(root, "terraform"));
  for (const chart of await readdir(join(root, "apps")).catch(() => [])) await walk(join(root, "apps", chart, "ci"));
  return files;
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runGenerate(root: string, ...args: string[]): CliRun {
  const result = spawnSync(process.execPath, [CLI, "--root", root, ...args], { encoding: "utf8", timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A cluster.ts whose default export is `input` as a literal (no import needed). */
export function literalModel(input: unknown): string {
  return `export default ${JSON.stringify(input, null, 2)};\n`;
}
