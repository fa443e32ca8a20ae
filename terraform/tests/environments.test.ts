// The dev/staging/prod stacks against the tfvars contract and the module: each stack declares
// exactly the generated keys, hands them to the module unchanged, keeps its state in S3 with a
// lock, and the generated (or fixture) tfvars files match the contract.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { backendProblems, moduleCallProblems, stackVariableProblems } from "./lib/checks.ts";
import { CONTRACT_KEYS, expectedNotice, readJson, tfvarsProblems } from "./lib/contract.ts";
import { expressionText, moduleFromText, readModule, repoPath } from "./lib/hcl.ts";
import {
  ENVIRONMENTS,
  environmentDir,
  fixtureTfvarsPath,
  generatedTfvarsPath,
  MODULE_DIR,
  TFVARS_FILE,
} from "./lib/paths.ts";

const CALL = "tempo_storage";

test("each stack declares exactly the contract's variables", async () => {
  for (const env of ENVIRONMENTS) {
    assert.equal(stackVariableProblems(await readModule(environmentDir(env)), CONTRACT_KEYS), [], env);
  }
});

test("each stack passes exactly the module's variables, each from its own var of the same name", async () => {
  const module = await readModule(MODULE_DIR);
  for (const env of ENVIRONMENTS) {
    const stack = await readModule(environmentDir(env));
    assert.equal(moduleCallProblems(stack, CALL, module), [], env);
  }
});

test("every contract key reaches the module, storage_enabled as the module's count", async () => {
  const module = await readModule(MODULE_DIR);
  const moduleVariables = module.variables.map((v) => v.labels[0]);
  for (const key of CONTRACT_KEYS.filter((k) => k !== "storage_enabled")) {
    assert.ok(moduleVariables.includes(key), `module does not declare contract key ${key}`);
  }
  for (const env of ENVIRONMENTS) {
    const call = (await readModule(environmentDir(env))).modules[0];
    assert.equal(expressionText(call?.body.count), "var.storage_enabled ? 1 : 0", env);
    const passed = Object.keys(call?.body ?? {}).filter((k) => k !== "source" && k !== "count");
    assert.equal(passed.sort(), CONTRACT_KEYS.filter((k) => k !== "storage_enabled").sort(), env);
  }
});

test("each stack keeps its state in S3 with a lock file, encrypted, keyed by environment", async () => {
  for (const env of ENVIRONMENTS) {
    assert.equal(backendProblems(await readModule(environmentDir(env)), env), [], env);
  }
});

test("the three stacks are the same code; only the state key differs", async () => {
  const files = ["providers.tf", "variables.tf", "tempo.tf", "outputs.tf", "versions.tf"];
  for (const file of files) {
    const texts = await Promise.all(
      ENVIRONMENTS.map(async (env) =>
        (await readFile(join(environmentDir(env), file), "utf8")).replaceAll(`/${env}.tfstate`, "/<env>.tfstate"),
      ),
    );
    for (const [index, text] of texts.entries())
      assert.fixture(text, texts[0] as string, `${ENVIRONMENTS[index]}/${file}`);
  }
});

test("fixture tfvars files follow the contract", async () => {
  for (const env of ENVIRONMENTS) {
    const file = fixtureTfvarsPath(env);
    assert.equal(tfvarsProblems(repoPath(file), await readJson(file), env), [], env);
  }
});

test("generated tfvars files, where `npm run generate` has written them, follow the contract", async () => {
  let checked = 0;
  for (const env of ENVIRONMENTS) {
    const file = generatedTfvarsPath(env);
    if (!existsSync(file)) continue;
    assert.equal(tfvarsProblems(repoPath(file), await readJson(file), env), [], env);
    checked++;
  }
  if (checked === 0) console.log(`  note: no generated ${TFVARS_FILE} yet; only the fixtures were checked`);
});

test("dev keeps traces on local disk, staging and prod in S3 (fixtures and generated files)", async () => {
  for (const env of ENVIRONMENTS) {
    for (const file of [fixtureTfvarsPath(env), generatedTfvarsPath(env)]) {
      if (!existsSync(file)) continue;
      const values = (await readJson(file)) as Record<string, unknown>;
      assert.is(values.storage_enabled, env !== "dev", `${repoPath(file)}: storage_enabled`);
    }
  }
});

test("contract check fires on a missing, extra or mistyped key, a wrong environment and a missing notice", () => {
  const good = {
    "//": expectedNotice("staging"),
    environment: "staging",
    cluster_name: "c",
    aws_region: "eu-west-1",
    aws_account_id: "123456789012",
    storage_enabled: true,
    bucket_name: "b-b-b",
    retention_hours: 168,
    tempo_namespace: "tempo",
    tempo_service_account: "tempo",
    tempo_role_name: "r",
    tags: { owner: "x" },
  };
  assert.equal(tfvarsProblems("f.json", good, "staging"), []);

  const { bucket_name: _dropped, ...missing } = good;
  assert.equal(tfvarsProblems("f.json", missing, "staging"), ["f.json: bucket_name: missing (expected a string)"]);
  assert.equal(tfvarsProblems("f.json", { ...good, region: "x" }, "staging"), [
    "f.json: region: not a key of the tfvars contract",
  ]);
  assert.equal(tfvarsProblems("f.json", { ...good, aws_account_id: 123456789012 }, "staging"), [
    "f.json: aws_account_id: expected a string (got number 123456789012)",
  ]);
  assert.equal(tfvarsProblems("f.json", { ...good, tags: { n: 1 } }, "staging"), [
    'f.json: tags: expected a string map (got object {"n":1})',
  ]);
  assert.equal(tfvarsProblems("f.json", good, "prod"), [
    'f.json: "//": expected "Generated by `npm run generate` from clusters/prod/cluster.ts. Do not edit." (got "Generated by `npm run generate` from clusters/staging/cluster.ts. Do not edit.")',
    'f.json: environment: expected "prod" for this folder (got "staging")',
  ]);
  const { "//": _notice, ...unsigned } = good;
  assert.equal(tfvarsProblems("f.json", unsigned, "staging"), [
    'f.json: the first key must be "//" (the generated-file notice)',
    'f.json: "//": expected "Generated by `npm run generate` from clusters/staging/cluster.ts. Do not edit." (got undefined)',
  ]);
  assert.equal(tfvarsProblems("f.json", [], "staging"), ["f.json: expected a JSON object (got array)"]);
});

test("module-call check fires on an undeclared, missing or literal argument", async () => {
  const module = await moduleFromText({
    "variables.tf":
      'variable "bucket_name" {\n  type = string\n}\nvariable "tags" {\n  type = map(string)\n  default = {}\n}\nvariable "retention_hours" {\n  type = number\n}\n',
  });
  const stack = await moduleFromText({
    "tempo.tf": `
module "tempo_storage" {
  source          = "../../modules/tempo-storage"
  bucket_name     = "hand-typed-bucket"
  region          = var.region
}
`,
  });
  assert.equal(moduleCallProblems(stack, CALL, module), [
    'tempo.tf: module "tempo_storage" sets "bucket_name" to "hand-typed-bucket"; expected var.bucket_name, read from the cluster model',
    'tempo.tf: module "tempo_storage" passes "region", which (inline) does not declare',
    'tempo.tf: module "tempo_storage" does not pass "retention_hours", which (inline) requires',
  ]);
  assert.equal(moduleCallProblems(await moduleFromText({ "x.tf": "locals {}\n" }), CALL, module), [
    '(inline): no module "tempo_storage" block',
  ]);
});

test("stack-variable check fires on a missing or an extra variable", async () => {
  const stack = await moduleFromText({
    "variables.tf": 'variable "environment" {\n  type = string\n}\nvariable "extra" {\n  type = string\n}\n',
  });
  assert.equal(stackVariableProblems(stack, ["environment", "bucket_name"]), [
    '(inline): variable "bucket_name" of the tfvars contract is not declared',
    '(inline): variable "extra" is not in the tfvars contract; the generator will never set it',
  ]);
});

test("backend check fires on DynamoDB locking, no lock, no encryption, a shared key or another backend", async () => {
  const stack = await moduleFromText({
    "versions.tf": `
terraform {
  backend "s3" {
    key            = "observability/tempo-storage/shared.tfstate"
    dynamodb_table = "terraform-locks"
  }
}
`,
  });
  assert.equal(backendProblems(stack, "prod"), [
    'versions.tf: backend "s3": use_lockfile is not true (no state locking)',
    'versions.tf: backend "s3": dynamodb_table is deprecated; lock with use_lockfile',
    'versions.tf: backend "s3": encrypt is not true',
    'versions.tf: backend "s3": key "observability/tempo-storage/shared.tfstate" does not name the environment "prod"',
  ]);
  const local = await moduleFromText({ "versions.tf": 'terraform {\n  backend "local" {}\n}\n' });
  assert.equal(backendProblems(local, "prod"), ['versions.tf: backend "local": expected the s3 backend']);
  const none = await moduleFromText({ "versions.tf": "terraform {}\n" });
  assert.equal(backendProblems(none, "prod"), ["(inline): expected one backend block, found 0"]);
});

test.run();
