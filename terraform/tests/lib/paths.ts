// Where the Terraform part of the repository lives, named once for every test.
import { join } from "node:path";

export const REPO_ROOT = join(import.meta.dirname, "..", "..", "..");
export const TERRAFORM_DIR = join(REPO_ROOT, "terraform");
export const MODULE_DIR = join(TERRAFORM_DIR, "modules", "tempo-storage");
export const FIXTURES_DIR = join(TERRAFORM_DIR, "tests", "fixtures");
export const BROKEN_MODULE_DIR = join(FIXTURES_DIR, "broken-tempo-storage");

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const TFVARS_FILE = "cluster.auto.tfvars.json";

export function environmentDir(env: Environment): string {
  return join(TERRAFORM_DIR, "environments", env);
}

/** The file `npm run generate` writes; it may not exist yet on a fresh checkout. */
export function generatedTfvarsPath(env: Environment): string {
  return join(environmentDir(env), TFVARS_FILE);
}

/** Our realistic stand-in for the generated file, used whether or not the real one exists. */
export function fixtureTfvarsPath(env: Environment): string {
  return join(FIXTURES_DIR, "environments", env, TFVARS_FILE);
}
