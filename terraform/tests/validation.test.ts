// The validation blocks, evaluated by the real terraform binary: `plan` on a scratch copy holding
// only variable declarations needs no provider and no init. The fixture (and, once generated, the
// real) tfvars must pass both the stack's and the module's rules; each bad value must be refused
// with the module's own message.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readJson } from "./lib/contract.ts";
import { repoPath } from "./lib/hcl.ts";
import {
  ENVIRONMENTS,
  type Environment,
  environmentDir,
  fixtureTfvarsPath,
  generatedTfvarsPath,
  MODULE_DIR,
} from "./lib/paths.ts";
import { findTerraform, planVariables, type RunResult } from "./lib/terraform.ts";

const terraform = findTerraform();
const MODULE_VARIABLES = join(MODULE_DIR, "variables.tf");
const stackVariables = (env: Environment) => join(environmentDir(env), "variables.tf");

async function planModule(tfvars: unknown): Promise<RunResult> {
  return planVariables(terraform as string, [MODULE_VARIABLES], tfvars, "tempo-storage");
}

async function planStack(env: Environment, tfvars: unknown, folder: string = env): Promise<RunResult> {
  return planVariables(terraform as string, [stackVariables(env)], tfvars, folder);
}

function expectAccepted(result: RunResult, what: string): void {
  assert.is(result.status, 0, `${what} was refused:\n${result.output}`);
}

function expectRefused(result: RunResult, message: RegExp, what: string): void {
  assert.is(result.status, 1, `${what} was accepted:\n${result.output}`);
  assert.match(result.output.replace(/\s+/g, " "), message, what);
}

if (!terraform) {
  test("terraform validations (skipped)", () => {
    console.log("  SKIP: no terraform or tofu binary on PATH; variable validations not evaluated");
  });
} else {
  const staging = (await readJson(fixtureTfvarsPath("staging"))) as Record<string, unknown>;

  test("fixture tfvars pass the stack's and the module's validations", async () => {
    for (const env of ENVIRONMENTS) {
      const tfvars = await readJson(fixtureTfvarsPath(env));
      expectAccepted(await planStack(env, tfvars), `${env} stack`);
      expectAccepted(await planModule(tfvars), `${env} module`);
    }
  });

  test("generated tfvars, where they exist, pass the same validations", async () => {
    let checked = 0;
    for (const env of ENVIRONMENTS) {
      const file = generatedTfvarsPath(env);
      if (!existsSync(file)) continue;
      const tfvars = await readJson(file);
      expectAccepted(await planStack(env, tfvars), repoPath(file));
      expectAccepted(await planModule(tfvars), repoPath(file));
      checked++;
    }
    if (checked === 0) console.log("  note: no generated cluster.auto.tfvars.json yet; only the fixtures were checked");
  });

  test("stack: tfvars copied from another environment are refused", async () => {
    expectRefused(
      await planStack("prod", staging, "prod"),
      /says environment "staging", but this stack is terraform\/environments\/prod/,
      "staging tfvars in the prod stack",
    );
  });

  test("stack: S3 storage may be off in dev only", async () => {
    const prod = (await readJson(fixtureTfvarsPath("prod"))) as Record<string, unknown>;
    expectRefused(
      await planStack("prod", { ...prod, storage_enabled: false }),
      /storage_enabled is false for environment "prod": only dev may run Tempo without S3/,
      "prod without storage",
    );
    const dev = await readJson(fixtureTfvarsPath("dev"));
    expectAccepted(await planStack("dev", dev), "dev without storage");
  });

  // Each bad value, the message the module must give. One plan per case keeps the failure specific.
  const refused: [string, Record<string, unknown>, RegExp][] = [
    ["unknown environment", { environment: "qa" }, /environment must be one of dev, staging, prod/],
    ["account id of 11 digits", { aws_account_id: "52738491026" }, /aws_account_id must be exactly 12 digits/],
    ["region name", { aws_region: "Ireland" }, /aws_region must be an AWS Region code/],
    ["bucket with dots", { bucket_name: "greenlang.tempo.traces" }, /dots are refused/],
    ["bucket with capitals", { bucket_name: "Greenlang-Tempo" }, /bucket_name must be 3-63 characters/],
    ["bucket with a reserved suffix", { bucket_name: "greenlang-traces-s3alias" }, /prefix or suffix that S3 reserves/],
    [
      "retention under a day",
      { retention_hours: 12 },
      /retention_hours must be a whole number of hours between 24 and 87600/,
    ],
    ["fractional retention", { retention_hours: 36.5 }, /retention_hours must be a whole number/],
    ["wildcard service account", { tempo_service_account: "*" }, /wildcards are not allowed/],
    ["namespace with capitals", { tempo_namespace: "Tempo" }, /tempo_namespace must be a Kubernetes namespace name/],
    ["role name with a slash", { tempo_role_name: "path/tempo" }, /tempo_role_name must be an IAM role name/],
    ["cluster name with a space", { cluster_name: "greenlang staging" }, /cluster_name must be an EKS cluster name/],
    ["reserved tag prefix", { tags: { "aws:owner": "x" } }, /not start with 'aws:'/],
    [
      "too many tags",
      { tags: Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`k${i}`, "v"])) },
      /at most 46 entries/,
    ],
    [
      "tags that are not strings",
      { tags: { owner: { team: "x" } } },
      /Invalid value for input variable|string required/,
    ],
  ];

  for (const [what, change, message] of refused) {
    test(`module refuses ${what}`, async () => {
      expectRefused(await planModule({ ...staging, ...change }), message, what);
    });
  }

  test("module knobs: deletion window, rotation period, expiry margin and access-log bucket are range-checked", async () => {
    // Knobs are not in the tfvars contract; a module caller sets them, so feed them as tfvars here.
    expectRefused(await planModule({ ...staging, kms_deletion_window_in_days: 3 }), /between 7 and 30/, "window");
    expectRefused(await planModule({ ...staging, kms_rotation_period_in_days: 30 }), /between 90 and 2560/, "rotation");
    expectRefused(await planModule({ ...staging, expiry_margin_days: 0 }), /between 1 and 365/, "margin");
    expectRefused(
      await planModule({ ...staging, access_log_bucket: staging.bucket_name }),
      /must not be the trace bucket itself/,
      "self-logging",
    );
    expectAccepted(
      await planModule({
        ...staging,
        kms_deletion_window_in_days: 7,
        expiry_margin_days: 1,
        access_log_bucket: "greenlang-s3-access-logs",
      }),
      "valid knobs",
    );
  });
}

test.run();
