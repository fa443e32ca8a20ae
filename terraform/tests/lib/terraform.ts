// The real terraform (or tofu) binary, when this machine has one. It cannot download providers
// here, so it is only used for what needs none: `fmt`, and `plan` on a copy holding nothing but
// variable declarations, which evaluates every validation block against a tfvars file.
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, delimiter, join } from "node:path";

export interface RunResult {
  status: number | null;
  output: string;
}

/** First `terraform` or `tofu` on PATH, or null. */
export function findTerraform(): string | null {
  for (const name of ["terraform", "tofu"]) {
    for (const dir of (process.env.PATH ?? "").split(delimiter)) {
      if (!dir) continue;
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  return null;
}

const QUIET_ENV = {
  // No version checks against checkpoint-api.hashicorp.com, no colour, no prompts.
  CHECKPOINT_DISABLE: "1",
  TF_IN_AUTOMATION: "1",
  TF_INPUT: "0",
  NO_COLOR: "1",
};

export function runTerraform(binary: string, args: string[], cwd: string): RunResult {
  const result = spawnSync(binary, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...QUIET_ENV },
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}

/**
 * Runs `terraform plan` in a scratch folder named `folderName` that holds copies of the given
 * variables files and one tfvars document. With no resources and no providers, Terraform needs no
 * init; the plan fails exactly when a variable's type or validation rejects a value.
 */
export async function planVariables(
  binary: string,
  variablesFiles: string[],
  tfvars: unknown,
  folderName: string,
): Promise<RunResult> {
  const scratch = await mkdtemp(join(tmpdir(), "tf-vars-"));
  const dir = join(scratch, folderName);
  try {
    await mkdir(dir);
    for (const [index, file] of variablesFiles.entries()) {
      await copyFile(file, join(dir, `${index}-${basename(file)}`));
    }
    await writeFile(join(dir, "cluster.auto.tfvars.json"), JSON.stringify(tfvars, null, 2));
    return runTerraform(binary, ["plan", "-input=false", "-lock=false", "-no-color"], dir);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
