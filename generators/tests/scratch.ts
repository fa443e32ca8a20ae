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
  else await symlink(join(REPO, "apps"), join(root, "apps"));
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

export async function removeScratch(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true });
}

/** Every file under clusters/ and terraform/ (path → content): what `generate` may touch. */
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
