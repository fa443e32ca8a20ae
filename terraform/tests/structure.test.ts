// Structural rules on the parsed HCL of the module and the stacks: typed, described and validated
// variables; described outputs; pinned Terraform and providers. Each rule is shown firing on a bad
// inline module and staying quiet on the real ones.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { constraintPins, outputProblems, pinningProblems, variableProblems } from "./lib/checks.ts";
import { moduleFromText, readModule } from "./lib/hcl.ts";
import { ENVIRONMENTS, environmentDir, MODULE_DIR } from "./lib/paths.ts";

// Every input that ends up in a name, an ARN, a policy or a lifecycle rule.
const MUST_VALIDATE = [
  "environment",
  "cluster_name",
  "aws_region",
  "aws_account_id",
  "bucket_name",
  "retention_hours",
  "tempo_namespace",
  "tempo_service_account",
  "tempo_role_name",
  "tags",
  "kms_deletion_window_in_days",
  "kms_rotation_period_in_days",
  "expiry_margin_days",
  "access_log_bucket",
];

test("module: every variable has a type and a description; risky ones a validation", async () => {
  const module = await readModule(MODULE_DIR);
  assert.equal(variableProblems(module, MUST_VALIDATE), []);
  assert.equal(module.variables.length, MUST_VALIDATE.length, "a new variable must join MUST_VALIDATE or say why not");
});

test("stacks: every variable has a type and a description", async () => {
  for (const env of ENVIRONMENTS) {
    assert.equal(variableProblems(await readModule(environmentDir(env)), []), [], env);
  }
});

test("variable rule fires on a missing type, description, validation or error message", async () => {
  const bad = await moduleFromText({
    "variables.tf": `
variable "untyped" {
  description = "no type"
}
variable "undescribed" {
  type = string
}
variable "bucket_name" {
  type        = string
  description = "risky, unvalidated"
}
variable "half_validated" {
  type        = number
  description = "validation without a message"
  validation {
    condition = var.half_validated > 0
  }
}
`,
  });
  // hcl2json orders blocks by name, so compare as sets.
  assert.equal(
    variableProblems(bad, ["bucket_name", "aws_account_id"]).sort(),
    [
      'variables.tf: variable "untyped" has no type',
      'variables.tf: variable "undescribed" has no description',
      'variables.tf: variable "half_validated" has a validation without an error_message',
      'variables.tf: variable "bucket_name" has no validation block',
      '(inline): variable "aws_account_id" is expected but not declared',
    ].sort(),
  );
});

test("module and stacks: every output is described", async () => {
  assert.equal(outputProblems(await readModule(MODULE_DIR)), []);
  for (const env of ENVIRONMENTS) assert.equal(outputProblems(await readModule(environmentDir(env))), [], env);
});

test("output rule fires on an undescribed output", async () => {
  const bad = await moduleFromText({
    "outputs.tf": 'output "x" {\n  value = 1\n}\noutput "y" {\n  description = ""\n  value = 2\n}\n',
  });
  assert.equal(outputProblems(bad), [
    'outputs.tf: output "x" has no description',
    'outputs.tf: output "y" has no description',
  ]);
});

test("module and stacks pin Terraform and the AWS provider", async () => {
  assert.equal(pinningProblems(await readModule(MODULE_DIR)), []);
  for (const env of ENVIRONMENTS) assert.equal(pinningProblems(await readModule(environmentDir(env))), [], env);
});

test("what counts as pinned", () => {
  for (const pinned of ["~> 6.0", ">= 6.0, < 7.0", "6.21.0", "= 6.21.0", ">= 1.10.0, < 2.0.0"]) {
    assert.ok(constraintPins(pinned), pinned);
  }
  for (const loose of [undefined, "", ">= 6.0", ">= 1.10", "!= 6.1.0"]) {
    assert.not.ok(constraintPins(loose), String(loose));
  }
});

test("pinning rule fires on a missing version, a floor-only constraint and an undeclared provider", async () => {
  const bad = await moduleFromText({
    "versions.tf": `
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.0"
    }
  }
}
resource "tls_private_key" "k" {
  algorithm = "ED25519"
}
`,
  });
  assert.equal(pinningProblems(bad), [
    '(inline): required_version ">= 1.5" has no upper bound',
    'versions.tf: required_providers.aws is not pinned (version "")',
    'versions.tf: required_providers.random is not pinned (version ">= 3.0")',
    '(inline): provider "tls" is used but not in required_providers',
  ]);
  const none = await moduleFromText({ "main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n' });
  assert.equal(pinningProblems(none), ["(inline): no terraform {} block (required_version, required_providers)"]);
});

test.run();
